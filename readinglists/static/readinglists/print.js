// The print view works without JavaScript (the browser's own Print command); with it,
// a Print button appears.
document.querySelectorAll("[data-print-button]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
});
