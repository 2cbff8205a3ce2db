// The customer's page: one WebSocket to the shop, which fails over to the next instance and resumes
// after the last update it saw. Every text from the server is rendered with textContent.
const $ = (id) => document.querySelector(`[data-testid="${id}"]`);

const state = {
    instances: [],      // the shop's instances, from /api/instances; the page's own comes first
    current: 0,         // index of the instance connected to
    lastOffset: -1,     // stream offset of the last update received: where a reconnect resumes
    socket: null,
    orders: new Map(),  // orderId -> { item, steps: [], element }
    pending: null,      // the place frame sent and not yet accepted: resent, unchanged, after a reconnect
};

function showError(text) {
    const error = $("error");
    error.textContent = text;
    error.hidden = !text;
}

async function start() {
    const me = await fetch("api/session");
    if (me.status !== 200) {
        $("sign-in").hidden = false;
        return;
    }
    $("customer").textContent = `(signed in as ${(await me.json()).customer})`;
    $("shop").hidden = false;
    const items = await (await fetch("api/catalog")).json();
    for (const item of items) {
        const option = document.createElement("option");
        option.value = item.sku;
        option.textContent = `${item.name}, €${item.price}${item.inStock ? "" : " (back-ordered)"}`;
        $("item").append(option);
    }
    const own = location.origin;
    const listed = (await (await fetch("api/instances")).json()).instances;
    state.instances = [own, ...listed.filter((url) => url !== own)];
    connect();
}

/**
 * How long a new socket may stay silent before the page drops it and connects again. The server greets every socket
 * at once; under heavy load the container sometimes never sends an upgraded socket's first frame.
 */
const WELCOME_WITHIN_MS = 5000;

// tag::failover[]
function connect() {
    const base = state.instances[state.current].replace(/^http/, "ws");
    const socket = new WebSocket(`${base}/orders?after=${state.lastOffset}`);
    state.socket = socket;
    const status = $("connection");
    socket.onopen = () => {
        socket.welcomeTimer = setTimeout(() => socket.close(4000, "no welcome"), WELCOME_WITHIN_MS);
        status.dataset.state = "connected";
        status.dataset.instance = new URL(base).host;
        status.textContent = `connected to ${new URL(base).host}`;
        showError("");
        // An order sent but never accepted may or may not have reached the broker: send the same frame
        // again. Its order id makes it the same order, so this cannot charge twice.
        if (state.pending) {
            socket.send(JSON.stringify(state.pending));
        }
    };
    socket.onmessage = (event) => { clearTimeout(socket.welcomeTimer); receive(JSON.parse(event.data)); };
    socket.onclose = (event) => {
        if (state.socket !== socket || signedOut(event)) {
            return;
        }
        status.dataset.state = "closed";
        status.textContent = "reconnecting";
        // The next instance, after a short pause; ?after= makes it replay exactly what was missed.
        state.current = (state.current + 1) % state.instances.length;
        setTimeout(connect, 500);
    };
}
// end::failover[]

// Closed with 1008 "signed out": this browser signed out, here or in another tab, or signed in again elsewhere.
// Reconnecting would only be refused: show it, and the sign-in form.
function signedOut(event) {
    if (event.code !== 1008 || event.reason !== "signed out") {
        return false;
    }
    state.socket = null;
    const status = $("connection");
    status.dataset.state = "signed-out";
    status.textContent = "signed out";
    $("shop").hidden = true;
    $("sign-in").hidden = false;
    return true;
}

$("sign-out").addEventListener("click", async () => {
    await fetch("api/session", { method: "DELETE" }); // the shop closes this page's socket: signedOut() shows it
});

setInterval(() => {
    if (state.socket?.readyState === WebSocket.OPEN) {
        state.socket.send(JSON.stringify({ type: "ping" }));
    }
}, 30_000);

function receive(frame) {
    switch (frame.type) {
        case "progress":
            state.lastOffset = frame.offset;
            render(frame);
            break;
        case "error":
            showError(`${frame.detail} (${frame.code})`);
            if (state.pending && frame.correlationId === state.pending.correlationId) {
                state.pending = null; // refused: nothing was started; the next click is a new order
                $("place").disabled = false;
            }
            break;
        case "accepted":
            if (state.pending?.orderId === frame.orderId) {
                state.pending = null;
                $("place").disabled = false;
            }
            break;
        default:
            break; // welcome, answered, pong: the progress updates tell the story
    }
}

function orderElement(frame) {
    let order = state.orders.get(frame.orderId);
    if (!order) {
        const element = document.createElement("li");
        element.className = "order";
        element.dataset.testid = "order";
        element.dataset.order = frame.orderId;
        const header = document.createElement("header");
        const item = document.createElement("strong");
        item.textContent = frame.item;
        const id = document.createElement("span");
        id.className = "id";
        id.textContent = ` ${frame.orderId.slice(0, 8)} · ${frame.correlationId}`;
        header.append(item, id);
        const steps = document.createElement("ol");
        element.append(header, steps);
        $("orders").prepend(element);
        $("no-orders").hidden = true;
        order = { element, steps };
        state.orders.set(frame.orderId, order);
    }
    return order;
}

function render(frame) {
    const order = orderElement(frame);
    const step = document.createElement("li");
    step.dataset.testid = "step";
    step.dataset.stage = frame.stage;
    step.textContent = frame.detail;
    order.steps.append(step);
    order.element.dataset.stage = frame.stage;
    order.element.querySelector(".question")?.remove();
    if (frame.stage === "backordered") {
        order.element.append(question(frame));
    }
}

function question(frame) {
    const box = document.createElement("div");
    box.className = "question";
    box.dataset.testid = "question";
    const text = document.createElement("p");
    text.textContent = frame.detail;
    const accept = document.createElement("button");
    accept.textContent = "Accept the delay";
    accept.dataset.testid = "accept";
    const cancel = document.createElement("button");
    cancel.textContent = "Cancel the order";
    cancel.className = "secondary";
    cancel.dataset.testid = "cancel";
    for (const [button, choice] of [[accept, "accept"], [cancel, "cancel"]]) {
        button.addEventListener("click", () => {
            state.socket.send(JSON.stringify({
                type: "answer", orderId: frame.orderId, choice, correlationId: frame.correlationId,
            }));
            box.remove();
        });
    }
    box.append(text, accept, " ", cancel);
    return box;
}

// tag::place[]
$("order-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (state.pending) {
        return; // a second click while the first is on its way: the same order, already sent
    }
    const form = new FormData(event.target);
    // The order's id is made here, once per click, and sent again unchanged after a reconnect: the shop
    // makes one order of it, however often it arrives. The correlation id runs through every message.
    state.pending = {
        type: "place", orderId: crypto.randomUUID(), item: form.get("item"), payment: form.get("payment"),
        correlationId: crypto.randomUUID(),
    };
    $("place").disabled = true;
    if (state.socket?.readyState === WebSocket.OPEN) {
        state.socket.send(JSON.stringify(state.pending));
    }
});
// end::place[]

$("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const response = await fetch("api/session", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: form.get("name"), password: form.get("password") }),
    });
    event.target.reset(); // the password does not stay in the page
    if (!response.ok) {
        showError((await response.json()).detail);
        return;
    }
    if (state.instances.length) {
        location.reload(); // signed in again after a sign-out: a fresh page, nothing of the last customer's left
        return;
    }
    $("sign-in").hidden = true;
    start();
});

start();
