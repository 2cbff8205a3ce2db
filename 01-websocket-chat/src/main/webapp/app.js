// The support chat's browser client: sign in, join a room over one WebSocket, and reconnect by itself, losing nothing.

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
const ui = Object.fromEntries(['connection', 'me', 'sign-out', 'error', 'sign-in', 'name', 'password', 'chat', 'room-picker',
    'room', 'current-room', 'messages', 'online', 'online-count', 'composer', 'text', 'send']
    .map((id) => [id, byTestId(id)]));

const VALID_ROOM = /^[a-z0-9-]{1,32}$/;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;
// A handshake can fail while the session is fine and the server answers HTTP: a refused Origin, say.
// The browser hides the 403, so after this many such failures in a row we stop rather than loop forever.
const MAX_REFUSED_HANDSHAKES = 3;

const chat = {
    me: null,
    room: null,
    socket: null,
    seen: new Set(),   // message ids already shown in this room: a message is shown exactly once
    lastId: null,      // the highest id seen: a reconnect asks the server for everything after it
    attempt: 0,        // reconnects since the last open, for the backoff
    refused: 0,        // handshakes refused in a row while signed in
    retryTimer: null,
    countdown: null,
};

// ---- views --------------------------------------------------------------------------------------------

function setConnection(state, text) {
    ui.connection.dataset.state = state;
    ui.connection.textContent = text;
    ui.send.disabled = state !== 'connected';
}

function showError(code, message) {
    ui.error.textContent = `${code}: ${message}`;
    ui.error.dataset.code = code;
    ui.error.hidden = false;
}

function clearError() {
    ui.error.hidden = true;
    ui.error.textContent = '';
    delete ui.error.dataset.code;
}

function showSignIn() {
    chat.me = null;
    ui.me.textContent = '';
    ui['sign-out'].hidden = true;
    ui.chat.hidden = true;
    ui['sign-in'].hidden = false;
    setConnection('idle', '');
    ui.name.focus();
}

function showChat(name) {
    chat.me = name;
    ui.me.textContent = name;
    ui['sign-out'].hidden = false;
    ui['sign-in'].hidden = true;
    ui.chat.hidden = false;
    const fromHash = location.hash.slice(1); // room names need no URL decoding
    joinRoom(VALID_ROOM.test(fromHash) ? fromHash : 'support');
}

// Every piece of user text goes through textContent, so '<img onerror=...>' is shown, never parsed.
function showMessage(m) {
    // tag::exactly-once[]
    if (chat.seen.has(m.id)) {
        return; // already shown: a replay after a reconnect may overlap what arrived live
    }
    chat.seen.add(m.id);
    chat.lastId = chat.lastId === null ? m.id : Math.max(chat.lastId, m.id);
    // end::exactly-once[]

    const item = document.createElement('li');
    item.dataset.testid = 'message';
    item.dataset.id = String(m.id);
    item.dataset.from = m.from;
    item.classList.toggle('mine', m.from === chat.me);
    const from = document.createElement('span');
    from.className = 'from';
    from.textContent = m.from;
    const at = document.createElement('time');
    at.dateTime = m.at;
    at.textContent = new Date(m.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const text = document.createElement('span');
    text.className = 'text';
    text.dataset.testid = 'message-text';
    text.textContent = m.text;
    item.append(from, at, text);

    // Ids grow with time, so the list is kept in id order even if a frame ever arrived late.
    const later = [...ui.messages.children].find((li) => Number(li.dataset.id) > m.id);
    const stickToBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40;
    ui.messages.insertBefore(item, later ?? null);
    if (stickToBottom) {
        ui.messages.scrollTop = ui.messages.scrollHeight;
    }
}

// tag::presence[]
// Only on joining does the server send the whole list; after that each frame is one name that came or went.
function showPresence(frame) {
    if (frame.online) {
        ui.online.replaceChildren(...frame.online.map(onlineItem));
    } else if (frame.event === 'joined') {
        const shown = [...ui.online.children];
        if (!shown.some((li) => li.textContent === frame.user)) {
            // sorted as the server sorts the list (by UTF-16 code unit, as JavaScript compares strings)
            ui.online.insertBefore(onlineItem(frame.user), shown.find((li) => li.textContent > frame.user) ?? null);
        }
    } else {
        [...ui.online.children].find((li) => li.textContent === frame.user)?.remove();
    }
    ui['online-count'].textContent = frame.count;
}
// end::presence[]

function onlineItem(name) {
    const item = document.createElement('li');
    item.textContent = name;
    item.classList.toggle('me', name === chat.me);
    return item;
}

// ---- session ------------------------------------------------------------------------------------------

/** The signed-in name, or null; throws when the server cannot be reached. */
async function whoAmI() {
    const response = await fetch('/api/session', { cache: 'no-store' });
    if (response.status === 401) {
        return null;
    }
    if (!response.ok) {
        throw new Error(`GET /api/session answered ${response.status}`);
    }
    return (await response.json()).name;
}

async function signIn(event) {
    event.preventDefault();
    clearError();
    // A member's password goes along; a guest leaves it empty and sends a name only.
    const form = { name: ui.name.value.trim() };
    if (ui.password.value !== '') {
        form.password = ui.password.value;
    }
    let response;
    try {
        response = await fetch('/api/session', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(form),
        });
    } catch (error) {
        showError('unreachable', `The chat server did not answer (${error.message}).`);
        return;
    }
    ui.password.value = ''; // never kept in the page longer than the request
    if (response.status !== 201) {
        const problem = await response.json().catch(() => ({}));
        const code = problem.type?.replace('/problems/', '') ?? `http-${response.status}`;
        showError(code, problem.detail ?? 'Sign-in failed.');
        return;
    }
    showChat((await response.json()).name);
}

async function signOut() {
    leaveRoom();
    clearError();
    try {
        await fetch('/api/session', { method: 'DELETE' });
    } catch (error) {
        // The page forgets the user anyway; the server's session then simply expires.
        showError('unreachable', `Signed out here, but the server did not answer (${error.message}).`);
    }
    showSignIn();
}

// ---- the connection -----------------------------------------------------------------------------------

function joinRoom(room) {
    leaveRoom();
    chat.room = room;
    chat.seen.clear();
    chat.lastId = null;
    chat.attempt = 0;
    chat.refused = 0;
    ui.messages.replaceChildren();
    ui.online.replaceChildren();
    ui['online-count'].textContent = '';
    ui.room.value = room;
    ui['current-room'].textContent = room;
    history.replaceState(null, '', `#${room}`);
    connect();
}

/** Closes the socket on purpose: detaching it first tells its close handler not to reconnect. */
function leaveRoom() {
    clearTimeout(chat.retryTimer);
    clearInterval(chat.countdown);
    const socket = chat.socket;
    chat.socket = null;
    if (socket?.readyState === WebSocket.CONNECTING) {
        // Closing a socket that is still connecting makes the browser log an error; close it once open.
        socket.onopen = () => socket.close(1000, 'Left the room.');
    } else {
        socket?.close(1000, 'Left the room.');
    }
}

function connect() {
    clearTimeout(chat.retryTimer);
    clearInterval(chat.countdown);
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    // tag::after[]
    // After a drop, ask only for what we missed; the first connect gets the usual recent history.
    const after = chat.lastId === null ? '' : `?after=${chat.lastId}`;
    const socket = new WebSocket(`${scheme}//${location.host}/chat/${chat.room}${after}`);
    // end::after[]
    chat.socket = socket;
    let opened = false;
    setConnection('connecting', chat.attempt === 0 ? 'connecting…' : 'reconnecting…');

    socket.onopen = () => {
        opened = true;
        chat.attempt = 0;
        chat.refused = 0;
        setConnection('connected', 'connected');
    };
    socket.onmessage = (event) => {
        if (chat.socket === socket) {
            dispatch(JSON.parse(event.data)); // frames of a socket we already left belong to another room
        }
    };
    socket.onclose = (event) => {
        if (chat.socket !== socket) {
            return; // we closed it ourselves (sign-out or another room)
        }
        chat.socket = null;
        closed(event, opened);
    };
}

function receive(frame) {
    switch (frame.type) {
        case 'message': showMessage(frame); break;
        case 'presence': showPresence(frame); break;
        case 'error': showError(frame.code, frame.message); break;
        default: console.warn('unknown frame type', frame.type);
    }
}

async function closed(event, opened) {
    const room = chat.room;
    if (event.code === 1008) {
        // A policy close (not signed in, say) would be refused again: retrying cannot help.
        setConnection('closed', `disconnected: ${event.reason || 'refused by the server'} (Join to retry)`);
        await recheckSession();
        return;
    }
    if (!opened) {
        // The handshake failed: the server is down, or it refused us (403). The browser does not say which,
        // so ask the HTTP API: a gone session means "sign in again", not "retry forever".
        const stillSignedIn = await recheckSession();
        if (stillSignedIn === null || chat.socket !== null || chat.room !== room) {
            return; // signed out, or the user joined a room while we asked
        }
        if (stillSignedIn && ++chat.refused >= MAX_REFUSED_HANDSHAKES) {
            setConnection('closed', 'disconnected: the server refuses this chat connection (Join to retry)');
            return;
        }
    }
    scheduleReconnect();
}

/** true: signed in; false: server unreachable (so it may be down, retry); null: signed out, form shown. */
async function recheckSession() {
    try {
        if (await whoAmI() === null) {
            showSignIn();
            showError('not-signed-in', 'Your session has ended; please sign in again.');
            return null;
        }
        return true;
    } catch {
        return false;
    }
}

// tag::backoff[]
// Exponential backoff with jitter: 0.5 s doubling to 10 s, each wait drawn between half and all of it,
// so a thousand clients dropped by one server restart do not all come back in the same millisecond.
function scheduleReconnect() {
    const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** chat.attempt);
    const delay = ceiling / 2 + Math.random() * ceiling / 2;
    chat.attempt++;
    const due = Date.now() + delay;
    const tick = () => {
        const seconds = Math.max(1, Math.ceil((due - Date.now()) / 1000));
        setConnection('reconnecting', `reconnecting in ${seconds} s…`);
    };
    tick();
    chat.countdown = setInterval(tick, 250);
    chat.retryTimer = setTimeout(connect, delay);
}
// end::backoff[]

function say(event) {
    event.preventDefault();
    const text = ui.text.value;
    if (chat.socket?.readyState !== WebSocket.OPEN || text.trim() === '') {
        return; // the input keeps the text, so nothing typed is lost while reconnecting
    }
    clearError();
    chat.socket.send(JSON.stringify({ type: 'say', text }));
    ui.text.value = '';
}

function pickRoom(event) {
    event.preventDefault();
    const room = ui.room.value.trim();
    if (!VALID_ROOM.test(room)) {
        showError('invalid-room', 'A room name is 1-32 characters of a-z, 0-9 or -.');
        return;
    }
    clearError();
    joinRoom(room);
}

// ---- extensions --------------------------------------------------------------------------------------
// A frame type added to the server from outside the lesson (a FrameHandler) may bring its page part: a module
// in the webapp's extensions/ folder, listed by GET /api/page-extensions. Each gets this small API to use.

const extensionReceivers = new Map(); // frame type -> the extension's function that shows such frames

const extensionApi = {
    ui,
    me: () => chat.me,
    clearError,
    /** Frames of this type go to receiver(frame) instead of this page's own receive(). */
    onFrame: (type, receiver) => extensionReceivers.set(type, receiver),
    /** Sends a frame on the room's connection; false, and nothing sent, while not connected. */
    send(frame) {
        if (chat.socket?.readyState !== WebSocket.OPEN) {
            return false;
        }
        chat.socket.send(JSON.stringify(frame));
        return true;
    },
};

function dispatch(frame) {
    const receiver = extensionReceivers.get(frame.type);
    if (receiver) {
        receiver(frame);
    } else {
        receive(frame);
    }
}

async function loadExtensions() {
    try {
        const response = await fetch('/api/page-extensions', { cache: 'no-store' });
        for (const script of response.ok ? await response.json() : []) {
            (await import(`./extensions/${script}`)).install(extensionApi);
        }
    } catch (error) {
        console.warn('page extensions not loaded', error); // the chat itself works without them
    }
}

// Before the first connect, so no frame of theirs arrives before they can show it.
await loadExtensions();

// ---- start --------------------------------------------------------------------------------------------

ui['sign-in'].addEventListener('submit', signIn);
ui['sign-out'].addEventListener('click', signOut);
ui['room-picker'].addEventListener('submit', pickRoom);
ui.composer.addEventListener('submit', say);
// The network is back: skip the rest of the backoff wait.
window.addEventListener('online', () => {
    if (ui.connection.dataset.state === 'reconnecting') {
        connect();
    }
});

whoAmI()
    .then((name) => (name === null ? showSignIn() : showChat(name)))
    .catch((error) => showError('unreachable', `The chat server did not answer (${error.message}).`));
