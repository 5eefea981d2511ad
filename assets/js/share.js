// Share buttons of quotes (progressive enhancement): the button stays
// hidden without this script, and the permalink beside it does the job.
// Where the browser has the Web Share API, the button opens the system
// share sheet; elsewhere it copies the quote's address and says so in a
// status message screen readers announce.
(function () {
  'use strict';
  const buttons = document.querySelectorAll('button[data-share]');
  const canShare = typeof navigator.share === 'function';
  const canCopy = !!(navigator.clipboard && navigator.clipboard.writeText);
  if (buttons.length === 0 || (!canShare && !canCopy)) {
    return;
  }
  for (const button of buttons) {
    const status = document.createElement('span');
    status.className = 'quote__share-status';
    status.setAttribute('role', 'status');
    button.after(status);
    if (!canShare) {
      button.textContent = button.dataset.labelCopy;
    }
    button.hidden = false;
    button.addEventListener('click', async function () {
      const url = new URL(button.dataset.share, location.href).href;
      const figure = button.closest('figure');
      const text = figure ? (figure.querySelector('.quote__text') || figure).textContent.trim() : '';
      if (canShare) {
        try {
          await navigator.share({ title: document.title, text: text, url: url });
          return;
        } catch (err) {
          if (err && err.name === 'AbortError') {
            return; // the reader closed the share sheet
          }
        }
      }
      if (canCopy) {
        try {
          await navigator.clipboard.writeText(url);
          status.textContent = button.dataset.labelCopied;
        } catch (err) {
          status.textContent = url; // copying refused: show the address to copy by hand
        }
      }
    });
  }
})();
