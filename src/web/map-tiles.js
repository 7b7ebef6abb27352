// Maillage — the interactive results map. Served right after Leaflet in one file, only on the results'
// map view and only when a tile server is configured (TILE_SERVER_URL). It reads the server-rendered
// SVG's data attributes and puts a Leaflet map in its place; without JavaScript the SVG stays, and the
// numbered list under the map remains the accessible equivalent.
// Privacy: the tile server receives tile coordinates only. Tiles are requested without a referrer, so it
// never learns the page's address (which holds the search).
(() => {
  const figure = document.querySelector('figure.map[data-tiles]');
  const L = window.L;
  if (!figure || !L) return;
  const svg = figure.querySelector('svg');
  const d = figure.dataset;
  const number = (text) => Number.parseFloat(text || '');
  const places = [...figure.querySelectorAll('g[data-n]')].map((g) => ({
    n: g.dataset.n,
    lat: number(g.dataset.lat),
    lon: number(g.dataset.lon),
    name: g.dataset.name || '',
    href: g.dataset.href || '',
    link: g.dataset.link || '',
  }));
  const originNode = figure.querySelector('g[data-origin]');
  const origin = originNode
    ? {
        lat: number(originNode.dataset.lat),
        lon: number(originNode.dataset.lon),
        label: originNode.dataset.origin,
      }
    : null;
  if (!svg || places.length === 0) return;

  const text = (value) => {
    const span = document.createElement('span');
    span.textContent = value;
    return span.innerHTML;
  };

  function build() {
    const box = document.createElement('div');
    box.className = 'map-leaflet';
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', d.label || '');
    const hint = document.createElement('p');
    hint.className = 'hint map-hint';
    hint.id = 'carte-aide';
    hint.textContent = d.hint || '';
    box.setAttribute('aria-describedby', hint.id);
    svg.before(box, hint);
    try {
      const map = L.map(box, { zoomControl: false, attributionControl: false, scrollWheelZoom: false });
      // The view first: Leaflet adds layers (and creates the markers' elements) once the map has one.
      const bounds = places.map((place) => [place.lat, place.lon]);
      if (origin) bounds.push([origin.lat, origin.lon]);
      map.fitBounds(bounds, { padding: [36, 36], maxZoom: 16 });
      L.control.zoom({ zoomInTitle: d.zoomIn, zoomOutTitle: d.zoomOut }).addTo(map);
      L.control.attribution({ prefix: '<a href="https://leafletjs.com/">Leaflet</a>' }).addTo(map);
      L.tileLayer(d.tiles, {
        attribution: text(d.attribution || ''),
        maxZoom: 19,
        referrerPolicy: 'no-referrer',
      }).addTo(map);
      if (origin) {
        L.marker([origin.lat, origin.lon], {
          icon: L.divIcon({
            className: 'map-origin',
            html: `<span class="map-origin-label">${text(origin.label || '')}</span>`,
            iconSize: [24, 24],
          }),
          interactive: false,
          keyboard: false,
          zIndexOffset: -1000, // under the places
        }).addTo(map);
      }
      for (const place of places) {
        const marker = L.marker([place.lat, place.lon], {
          icon: L.divIcon({
            className: 'map-marker',
            html: `<span aria-hidden="true">${text(place.n)}</span>`,
            iconSize: [32, 32],
          }),
          keyboard: true,
          riseOnHover: true,
        }).addTo(map);
        const element = marker.getElement();
        if (element) element.setAttribute('aria-label', `${place.n}. ${place.name}`);
        // Built as nodes, not HTML: a place's name stays text.
        const content = document.createElement('div');
        const title = document.createElement('p');
        const strong = document.createElement('strong');
        strong.textContent = `${place.n}. ${place.name}`;
        title.append(strong);
        const para = document.createElement('p');
        const a = document.createElement('a');
        a.href = place.href;
        a.textContent = place.link;
        para.append(a);
        content.append(title, para);
        content.addEventListener('keydown', (event) => {
          if (event.key === 'Escape') {
            map.closePopup();
            if (element) element.focus();
          }
        });
        marker.bindPopup(content, { maxWidth: 260 });
        marker.on('popupopen', (event) => {
          const close = event.popup.getElement()?.querySelector('.leaflet-popup-close-button');
          if (close) {
            close.setAttribute('aria-label', d.close || '');
            close.setAttribute('title', d.close || '');
          }
          // The link comes next for the keyboard: Tab after a marker would reach the next marker.
          a.focus({ preventScroll: true });
        });
        marker.on('popupclose', () => {
          if (element && content.contains(document.activeElement)) element.focus();
        });
      }
      // By class, not `hidden`: the printed list keeps the SVG map (map-tiles.css).
      figure.classList.add('map-interactive');
    } catch {
      // Whatever went wrong, the server-rendered map is still there.
      box.remove();
      hint.remove();
    }
  }

  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = d.mapStyle || '';
  style.addEventListener('load', build, { once: true });
  document.head.append(style);
})();
