// Exercise 2's page part: the room's shared note, edited live by everyone in the room.
// Loaded by app.js from the extensions/ folder; it uses only the small API app.js gives it.

// A pause in typing before an edit goes out: one frame per pause, not per key, stays under the flood limit.
const PAUSE_MS = 600;

export function install(chat) {
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = 'extensions/note.css';
    document.head.append(style);

    const heading = document.createElement('h2');
    heading.textContent = 'Room note';
    const area = document.createElement('textarea');
    area.dataset.testid = 'note';
    area.className = 'note';
    area.maxLength = 10_000;
    area.rows = 6;
    area.setAttribute('aria-label', 'The room\'s shared note');
    const status = document.createElement('p');
    status.className = 'note-status';
    status.dataset.testid = 'note-status';
    // When someone else's edit wins while you type, your text lands here, to merge by hand: never silently lost.
    const draft = document.createElement('p');
    draft.className = 'note-draft';
    draft.dataset.testid = 'note-draft';
    draft.hidden = true;
    chat.ui.online.parentElement.append(heading, area, status, draft);

    const note = {
        version: 0,    // the version the next edit is based on
        shown: '',     // the server's text as last put in the box
        sent: null,    // the text of our edit on its way, until the server confirms it
        timer: null,
    };

    area.addEventListener('input', () => {
        clearTimeout(note.timer);
        note.timer = setTimeout(sendEdit, PAUSE_MS);
    });

    function sendEdit() {
        if (note.sent !== null) {
            note.timer = setTimeout(sendEdit, PAUSE_MS); // one edit in flight at a time: the next needs its version
            return;
        }
        if (area.value === note.shown) {
            return;
        }
        if (chat.send({ type: 'note-edit', version: note.version, text: area.value })) {
            note.sent = area.value;
        }
    }

    chat.onFrame('note', (frame) => {
        status.textContent = frame.version === 0 ? 'nobody has written yet'
            : `version ${frame.version} by ${frame.by}`;
        if (frame.by === chat.me() && frame.text === note.sent) {
            // The confirmation of our own edit: the box keeps whatever was typed since.
            note.sent = null;
            note.version = frame.version;
            note.shown = frame.text;
            draft.hidden = true;
            return;
        }
        if (area.value !== note.shown) {
            // Someone else's version arrived while ours was unsent or refused (note-conflict): keep ours to merge.
            draft.textContent = `Your text, not applied; merge it in: ${area.value}`;
            draft.hidden = false;
        }
        clearTimeout(note.timer);
        note.sent = null;
        note.version = frame.version;
        note.shown = frame.text;
        area.value = frame.text;
    });
}
