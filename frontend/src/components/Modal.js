// An accessible modal dialog built on the native <dialog> element.
//
//   <${Modal} open=${isOpen} title="Delete provider" onClose=${() => setOpen(false)}
//             actions=${html`<button class="button danger" onClick=${remove}>Delete</button>`}>
//     <p>This cannot be undone.</p>
//   </${Modal}>
//
// - `open` (boolean) shows it with showModal(): focus moves into the dialog and stays there,
//   the rest of the page is inert.
// - `onClose()` is called on Escape, on the × button and on the default "Cancel" action; the
//   parent owns the open state, so the dialog closes only when the parent sets `open` false.
// - `actions` (optional) is rendered in the footer after a "Cancel" button (label: `cancelLabel`,
//   default "Cancel"; pass `cancelLabel=${null}` to leave it out).
// - The title labels the dialog for screen readers (aria-labelledby).
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../html.js';

let nextTitleId = 0;

export function Modal({ open, title, onClose, actions, cancelLabel = 'Cancel', children }) {
  const dialog = useRef(null);
  const titleId = useRef(`modal-title-${(nextTitleId += 1)}`);

  useEffect(() => {
    const element = dialog.current;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  // Escape fires "cancel"; keep the dialog open until the parent says otherwise.
  const onCancel = (event) => {
    event.preventDefault();
    onClose();
  };

  return html`
    <dialog ref=${dialog} class="modal" aria-labelledby=${titleId.current} onCancel=${onCancel}>
      ${open && html`
        <header class="modal-header">
          <h2 id=${titleId.current}>${title}</h2>
          <button type="button" class="icon-button" aria-label="Close" onClick=${onClose}>×</button>
        </header>
        <div class="modal-body">${children}</div>
        <footer class="modal-actions">
          ${cancelLabel && html`<button type="button" class="button" onClick=${onClose}>${cancelLabel}</button>`}
          ${actions}
        </footer>
      `}
    </dialog>
  `;
}
