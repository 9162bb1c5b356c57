// Render the math that pymdownx.arithmatex (generic mode) leaves in the page:
// <span class="arithmatex">\(...\)</span> and <div class="arithmatex">\[...\]</div>.
// KaTeX is vendored (docs/assets/katex/): no network. `document$` is mkdocs-material's page
// observable; it fires on the first load and after each instant navigation.
// A formula KaTeX cannot parse is reported with console.error (auto-render's default), which
// the browser test counts as a failure.
document$.subscribe(({ body }) => {
  for (const element of body.querySelectorAll(".arithmatex")) {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
    });
  }
});
