// Upload forms: progress while the file is sent. Without JavaScript the form
// posts as usual; GOV.UK Frontend's file upload module adds drag and drop.
(function () {
  "use strict";

  function formatBytes(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    if (bytes >= 1024) return Math.round(bytes / 1024) + " KB";
    return bytes + " bytes";
  }

  function enhance(form) {
    var input = form.querySelector('input[type="file"]');
    var box = form.querySelector("[data-upload-progress]");
    if (!input || !box || !window.XMLHttpRequest || !window.FormData) return;
    var bar = box.querySelector("progress");
    var status = box.querySelector("[data-upload-status]");

    form.addEventListener("submit", function (event) {
      var file = input.files && input.files[0];
      var max = parseInt(input.getAttribute("data-max-bytes"), 10);
      // The server checks everything again; this only saves a wasted upload.
      if (file && max && file.size > max) {
        event.preventDefault();
        box.hidden = false;
        status.textContent = file.name + " is " + formatBytes(file.size) +
          ". The file must be " + formatBytes(max) + " or smaller.";
        return;
      }
      if (!file) return; // let the server say what is missing
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.getAttribute("action") || window.location.href);
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.round((e.loaded / e.total) * 100);
        bar.value = percent;
        status.textContent = percent + "% uploaded";
      });
      request.addEventListener("load", function () {
        // The page the server answered with: the document's page after a
        // redirect (with its "uploaded" message), or the form with errors.
        if (request.responseURL && request.responseURL !== window.location.href) {
          window.history.replaceState(null, "", request.responseURL);
        }
        document.open();
        document.write(request.responseText);
        document.close();
      });
      request.addEventListener("error", function () {
        status.textContent = "The upload failed. Check your connection and try again.";
      });
      box.hidden = false;
      status.textContent = "Starting upload of " + file.name;
      form.querySelectorAll('button[type="submit"]').forEach(function (b) {
        b.disabled = true;
      });
      request.send(new FormData(form));
    });
  }

  document.querySelectorAll("form[data-upload-form]").forEach(enhance);
})();
