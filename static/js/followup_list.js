// "Udskriv" on the Opfølgningsliste page: the browser's print dialog (the print stylesheet does the rest).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
