// Share buttons of quotes (progressive enhancement): the script adds a
// button to every quote of the page, so without it there is none, and the
// permalink does the job. The labels come from the script element's data-
// attributes (in the page's language), once a page rather than once a
// quote. Where the browser has the Web Share API, the button opens the
// system share sheet; elsewhere it copies the quote's address and says so
// in a status message screen readers announce.
(function () {
  'use strict';
  const labels = (document.currentScript && document.currentScript.dataset) || {};
  const canShare = typeof navigator.share === 'function';
  const canCopy = !!(navigator.clipboard && navigator.clipboard.writeText);
  if (!canShare && !canCopy) {
    return;
  }
  for (const figure of document.querySelectorAll('figure.quote')) {
    const links = figure.querySelector('.quote__links');
    if (!links) {
      continue;
    }
    // A quote in a list links to its page; the quote's own page is the page.
    const permalink = figure.querySelector('.quote__permalink');
    const url = permalink ? permalink.href : location.href.split('#')[0];
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'quote__share';
    button.textContent = canShare ? labels.share : labels.copy;
    const status = document.createElement('span');
    status.className = 'quote__share-status';
    status.setAttribute('role', 'status');
    links.append(button, status);
    button.addEventListener('click', async function () {
      const text = (figure.querySelector('.quote__text') || figure).textContent.trim();
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
          status.textContent = labels.copied;
        } catch (err) {
          status.textContent = url; // copying refused: show the address to copy by hand
        }
      }
    });
  }
})();
