// Exercise 1's page part: pick someone online, whisper to them, and see private messages marked as such.
// Loaded by app.js from the extensions/ folder; it uses only the small API app.js gives it.

export function install(chat) {
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = 'extensions/whisper.css';
    document.head.append(style);

    const form = document.createElement('form');
    form.className = 'whisper';
    form.dataset.testid = 'whisper-form';
    const heading = document.createElement('h2');
    heading.textContent = 'Whisper';
    const to = document.createElement('select');
    to.dataset.testid = 'whisper-to';
    to.setAttribute('aria-label', 'Whisper to');
    const text = document.createElement('input');
    text.dataset.testid = 'whisper-text';
    text.maxLength = 2000;
    text.required = true;
    text.autocomplete = 'off';
    text.placeholder = 'Only they will see it';
    text.setAttribute('aria-label', 'Private message');
    const send = document.createElement('button');
    send.type = 'submit';
    send.dataset.testid = 'whisper-send';
    send.textContent = 'Whisper';
    form.append(heading, to, text, send);
    chat.ui.online.after(form);

    // The recipients are whoever else the page shows online, kept in step with that list.
    const refreshRecipients = () => {
        const chosen = to.value;
        const others = [...chat.ui.online.children].map((li) => li.textContent).filter((name) => name !== chat.me());
        to.replaceChildren(...others.map((name) => new Option(name, name)));
        if (others.includes(chosen)) {
            to.value = chosen;
        }
        send.disabled = others.length === 0;
    };
    new MutationObserver(refreshRecipients).observe(chat.ui.online, { childList: true });
    refreshRecipients();

    form.addEventListener('submit', (event) => {
        event.preventDefault();
        if (to.value === '' || text.value.trim() === '') {
            return;
        }
        chat.clearError();
        if (chat.send({ type: 'whisper', to: to.value, text: text.value })) {
            text.value = ''; // kept while disconnected, so nothing typed is lost
        }
    });

    chat.onFrame('whisper', showWhisper);

    // Shown in the room's list, in id order like every message, and marked: "privately to bob" or "privately".
    function showWhisper(w) {
        const item = document.createElement('li');
        item.dataset.testid = 'whisper';
        item.dataset.id = String(w.id);
        item.dataset.from = w.from;
        item.classList.add('private');
        item.classList.toggle('mine', w.from === chat.me());
        const from = document.createElement('span');
        from.className = 'from';
        from.textContent = w.from;
        const mark = document.createElement('span');
        mark.className = 'private-mark';
        mark.dataset.testid = 'whisper-mark';
        mark.textContent = w.from === chat.me() ? `privately to ${w.to}` : 'privately';
        const body = document.createElement('span');
        body.className = 'text';
        body.dataset.testid = 'whisper-text-shown';
        body.textContent = w.text;
        item.append(from, mark, body);
        const messages = chat.ui.messages;
        const later = [...messages.children].find((li) => Number(li.dataset.id) > w.id);
        messages.insertBefore(item, later ?? null);
        messages.scrollTop = messages.scrollHeight;
    }
}
