// The producer page: submits tasks over HTTP, shows the dashboard the server pushes over a WebSocket.
const $ = (id) => document.querySelector(`[data-testid="${id}"]`);

// tag::dashboard[]
function connect(delayMs = 500) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/dashboard`);
    socket.onopen = () => { setConnection('connected'); delayMs = 500; };
    socket.onmessage = (event) => render(JSON.parse(event.data));
    socket.onclose = () => {
        // The producer restarted or the network dropped: try again, waiting longer each time.
        setConnection('closed');
        setTimeout(() => connect(Math.min(delayMs * 2, 8000)), delayMs);
    };
}
// end::dashboard[]

function setConnection(state) {
    const el = $('connection');
    el.dataset.state = state;
    el.textContent = state === 'connected' ? 'live' : 'reconnecting';
}

function render(s) {
    const broker = $('broker');
    broker.dataset.state = s.broker;
    broker.textContent = s.broker;
    for (const [id, value] of [['queued', s.queued], ['consumers', s.consumers], ['done', s.done],
            ['failed', s.failedAttempts], ['dead-lettered', s.deadLettered], ['dead-letter-queue', s.deadLetterQueue],
            ['duplicates', s.duplicatesSkipped], ['throughput', s.throughputPerSecond?.toFixed(1)]]) {
        $(id).textContent = value ?? '–';
    }
    const rows = s.workers.map((w) => {
        const tr = document.createElement('tr');
        tr.dataset.worker = w.worker;
        // consuming: false while the worker's watchdog restarts a consumer it lost (see README, Poison messages).
        const consumer = w.consuming === false ? 'restarting' : 'live';
        tr.dataset.consumer = consumer;
        for (const text of [w.worker, w.concurrency, w.prefetch, w.done, w.inFlight.join(', '), consumer, w.restarts ?? 0]) {
            const td = document.createElement('td');
            td.textContent = String(text);   // never markup: names come from other processes
            tr.append(td);
        }
        return tr;
    });
    $('workers').tBodies[0].replaceChildren(...rows);
    $('no-workers').hidden = s.workers.length > 0;
}

async function submit(task) {
    const response = await fetch('/api/tasks', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(task),
    });
    const body = await response.json();
    if (response.status !== 202) {
        showError(`${body.title}: ${body.detail}`);
        return;
    }
    $('error').hidden = true;
    track(body.id, response.headers.get('Location'));
}

function showError(text) {
    $('error').textContent = text;
    $('error').hidden = false;
}

// Your own tasks: ask for their status until they are finished.
function track(id, url) {
    const li = document.createElement('li');
    li.dataset.task = id;
    li.append(`${id.slice(0, 8)} `);
    const status = document.createElement('span');
    status.className = 'status';
    li.append(status);
    $('my-tasks').prepend(li);
    const poll = async () => {
        const response = await fetch(url);
        const task = await response.json();
        li.dataset.status = task.status;
        status.textContent = `${task.status} (attempts: ${task.attempts})`;
        if (task.status !== 'DONE' && task.status !== 'DEAD_LETTERED') {
            setTimeout(poll, 1000);
        }
    };
    poll();
}

function formTask() {
    const form = new FormData($('task-form'));
    const task = { type: form.get('type'), orderId: form.get('orderId') };
    if (task.type === 'email') {
        task.to = form.get('to');
    }
    const failAttempts = Number(form.get('failAttempts'));
    if (failAttempts > 0) {
        task.simulate = { failAttempts };
    }
    return task;
}

$('task-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submit(formTask());
});
$('submit-100').addEventListener('click', async () => {
    const task = formTask();
    for (let i = 0; i < 100; i++) {
        await fetch('/api/tasks', {
            method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(task),
        });
    }
});

connect();
