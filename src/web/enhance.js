// Maillage — enhancements only: every page works without this file.
// 1. "Autour de moi": the position is rounded to 3 decimals (about 100 m) before it leaves the browser.
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
