// Small progressive enhancements; every page works without this file.
// Forms that destroy or lock data ask once more before they are sent.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
