"""The console's shared components (Modal, Toast, AdminKeyPrompt) as a person meets them.

Each is mounted on the real console page through the page's own import map, the way a console
page imports it.
"""

from playwright.sync_api import expect

from tests.conftest import ADMIN_KEY

MOUNT = """async (name) => {
  const { render } = await import('preact');
  const { useState } = await import('preact/hooks');
  const { html } = await import('/static/html.js');
  const { Modal } = await import('/static/components/Modal.js');
  const { AdminKeyPrompt } = await import('/static/components/AdminKeyPrompt.js');
  const host = document.createElement('div');
  document.body.appendChild(host);
  function ModalDemo() {
    const [open, setOpen] = useState(true);
    return html`<p id="modal-state">${open ? 'open' : 'closed'}</p>
      <${Modal} open=${open} title="Delete provider <b>x</b>" onClose=${() => setOpen(false)}
        actions=${html`<button class="button danger">Delete</button>`}>
        <p>This cannot be undone.</p>
      </${Modal}>`;
  }
  function PromptDemo() {
    const [saved, setSaved] = useState(0);
    return html`<p id="saved-count">${saved}</p>
      <${AdminKeyPrompt} onSaved=${() => setSaved((n) => n + 1)} />`;
  }
  render(name === 'modal' ? html`<${ModalDemo} />` : html`<${PromptDemo} />`, host);
}"""


def test_a_modal_is_a_labelled_dialog_that_closes_on_escape(page):
    page.goto("/")
    page.evaluate(MOUNT, "modal")
    dialog = page.get_by_role("dialog", name="Delete provider <b>x</b>")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Delete")).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("#modal-state")).to_have_text("closed")


def test_a_toast_shows_its_message_as_text_and_can_be_dismissed(page):
    page.goto("/")
    page.evaluate("""async () => {
      const { showToast } = await import('/static/components/Toast.js');
      showToast('Could not save <i>openai</i>', 'error');
    }""")
    toast = page.get_by_role("alert")
    expect(toast).to_contain_text("Could not save <i>openai</i>")
    toast.get_by_role("button", name="Dismiss").click()
    expect(toast).to_have_count(0)


def test_the_admin_key_prompt_stores_the_pasted_key_for_this_tab(page):
    page.goto("/")
    page.evaluate(MOUNT, "prompt")
    page.get_by_label("Admin API key").fill(f"  {ADMIN_KEY} ")
    page.get_by_role("button", name="Use this key").click()
    expect(page.locator("#saved-count")).to_have_text("1")
    stored = page.evaluate("sessionStorage.getItem('model-catalog.admin-key')")
    assert stored == ADMIN_KEY
