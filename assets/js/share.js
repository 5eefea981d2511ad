// Share buttons of quotes (progressive enhancement): the button of every
// quote is in the markup, invisible, so that its room is kept from the
// first paint (this script is deferred and may run after it: a button
// added then moved every row below); the script makes it work, and shows
// it. Without the script it stays invisible and the permalink does the
// job. Where the browser has the Web Share API, the button opens the
// system share sheet; elsewhere it copies the quote's address (its title
// says so) and says so in a status message screen readers announce. The
// labels come from the script element's data- attributes (in the page's
// language), once a page rather than once a quote.
(function () {
  'use strict';
  const labels = (document.currentScript && document.currentScript.dataset) || {};
  const canShare = typeof navigator.share === 'function';
  const canCopy = !!(navigator.clipboard && navigator.clipboard.writeText);
  if (!canShare && !canCopy) {
    return;
  }
  for (const button of document.querySelectorAll('figure.quote .quote__share')) {
    const figure = button.closest('figure.quote');
    // A quote in a list links to its page; the quote's own page is the page.
    const permalink = figure.querySelector('.quote__permalink');
    const url = permalink ? permalink.href : location.href.split('#')[0];
    if (!canShare) {
      button.title = labels.copy;
    }
    // Empty, the status takes no room (the stylesheet); it is filled only
    // after a click.
    const status = document.createElement('span');
    status.className = 'quote__share-status';
    status.setAttribute('role', 'status');
    button.after(status);
    button.classList.add('quote__share--live');
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
