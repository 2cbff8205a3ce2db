// The order board: a minimal STOMP 1.2 client over the browser's WebSocket, talking straight to RabbitMQ's
// Web-STOMP plugin; the shop's server only serves this file and the public login (GET api/board).
// Teaching code: no library, no reconnect back-off, no ACKs. Every text is rendered with textContent.
const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const rows = new Map(); // short order id -> its table row

function status(state, text) {
    $("connection").dataset.state = state;
    $("connection").textContent = text;
}

// A frame is a command line, header lines, a blank line, the body, and a NUL byte.
function frame(command, headers, body = "") {
    const lines = Object.entries(headers).map(([name, value]) => `${name}:${value}`);
    return `${command}\n${lines.join("\n")}\n\n${body}\0`;
}

// One WebSocket message holds one frame; RabbitMQ ends it with NUL plus a newline. Bodies here are JSON,
// which has no NUL, so splitting on NUL is safe (a binary body would need the content-length header).
function parse(data) {
    const [head, ...body] = data.replace(/^\n+/, "").split("\0")[0].split("\n\n");
    const [command, ...lines] = head.split("\n");
    const headers = {};
    for (const line of lines) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon);
        // STOMP 1.2: the first of repeated headers wins; values escape \ : CR LF as \\ \c \r \n.
        headers[name] ??= line.slice(colon + 1).replace(/\\([\\cnr])/g,
            (_, c) => ({ "\\": "\\", c: ":", n: "\n", r: "\r" })[c]);
    }
    return { command, headers, body: body.join("\n\n") };
}

async function start() {
    const board = await (await fetch("api/board")).json(); // { url, vhost, login, passcode, destination }
    const socket = new WebSocket(board.url, ["v12.stomp"]);
    socket.onopen = () => socket.send(frame("CONNECT", {
        "accept-version": "1.2", host: board.vhost, login: board.login, passcode: board.passcode,
        "heart-beat": "0,0", // no heart-beats: a teaching client; a real one sends and checks them
    }));
    socket.onmessage = (event) => {
        const received = parse(event.data);
        if (received.command === "CONNECTED") {
            status("connected", `connected to ${new URL(board.url).host} as ${board.login}`);
            // The broker creates an exclusive, auto-delete queue stomp-subscription-... bound with order.#
            socket.send(frame("SUBSCRIBE", { id: "board", destination: board.destination, ack: "auto" }));
        } else if (received.command === "MESSAGE") {
            show(JSON.parse(received.body));
        } else if (received.command === "ERROR") {
            $("error").textContent = `${received.headers.message}: ${received.body}`;
            $("error").hidden = false;
        }
    };
    socket.onclose = (event) => {
        status("closed", `closed by the broker (${event.code} ${event.reason}); reconnecting`);
        setTimeout(start, 3000); // what happened while closed is not replayed: the board shows "from now on"
    };
}

function show(update) { // { order, stage, item }: the redacted copy, no customer in it
    let row = rows.get(update.order);
    if (!row) {
        row = document.createElement("tr");
        row.dataset.order = update.order;
        row.append(...[update.order, update.item, ""].map((text) => {
            const cell = document.createElement("td");
            cell.textContent = text;
            return cell;
        }));
        $("rows").prepend(row);
        rows.set(update.order, row);
        $("board").hidden = false;
        $("no-orders").hidden = true;
    }
    row.dataset.stage = update.stage;
    row.lastElementChild.textContent = update.stage;
}

start();
