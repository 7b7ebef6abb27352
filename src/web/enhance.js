// Maillage — enhancements only: every page works without this file.
// 1. "Autour de moi": the position is rounded to 3 decimals (about 100 m) before it leaves the browser;
//    the search starts at once when a need is chosen, otherwise when the person sends the form.
// 2. Print buttons call the browser's print dialog.
// 3. After a search, the focus goes to the results heading; after an error, to the error summary.
(() => {
  const round = (n) => Math.round(n * 1000) / 1000;
  for (const button of document.querySelectorAll('button[data-near-me]')) {
    const form = button.form;
    const status = document.getElementById(button.getAttribute('aria-describedby') || '');
    if (!form || !('geolocation' in navigator)) continue;
    button.hidden = false;
    if (button.parentElement) button.parentElement.hidden = false;
    button.addEventListener('click', () => {
      if (status) status.textContent = button.dataset.wait || '';
      navigator.geolocation.getCurrentPosition(
        (position) => {
          for (const [name, value] of [
            ['lat', round(position.coords.latitude)],
            ['lon', round(position.coords.longitude)],
          ]) {
            let input = form.querySelector(`input[name="${name}"]`);
            if (!input) {
              input = document.createElement('input');
              input.type = 'hidden';
              input.name = name;
              form.append(input);
            }
            input.value = String(value);
          }
          const where = form.querySelector('input[name="ou"]');
          // "Où ?" comes before the needs: without a need chosen yet, the position waits for one.
          const needs = form.querySelectorAll('input[name="besoin"]');
          if (needs.length > 0 && !form.querySelector('input[name="besoin"]:checked')) {
            if (status) status.textContent = button.dataset.found || '';
            if (where) {
              where.value = '';
              // Typing a commune after all: the commune, not the position.
              where.addEventListener(
                'input',
                () => {
                  for (const name of ['lat', 'lon']) form.querySelector(`input[name="${name}"]`)?.remove();
                  if (status) status.textContent = '';
                },
                { once: true },
              );
            }
            return;
          }
          if (where) where.disabled = true;
          form.submit();
        },
        () => {
          if (status) status.textContent = button.dataset.failed || '';
        },
        { enableHighAccuracy: false, maximumAge: 600000, timeout: 15000 },
      );
    });
  }
  for (const button of document.querySelectorAll('button[data-print]')) {
    button.hidden = false;
    button.addEventListener('click', () => window.print());
  }
  const target =
    document.querySelector('.error-summary') ||
    (location.hash === '#resultats' ? document.getElementById('resultats') : null);
  if (target) target.focus();
})();
