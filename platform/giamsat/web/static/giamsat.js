// Progressive enhancement only: every page works without it.
import { initAll } from "/static/vendor/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

// Stacked tables on small screens label each cell with its column header.
for (const table of document.querySelectorAll("table.govuk-table")) {
  const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, i) => {
      if (!cell.hasAttribute("data-label") && headers[i]) cell.setAttribute("data-label", headers[i]);
    });
  }
}

// A form that asks for confirmation before it is sent (data-confirm="question").
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}
