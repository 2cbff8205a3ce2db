'use strict';
// The live routing table: polls who got which message and draws one row per message, one column per service.
// Polling keeps this page simple; module 01 shows how a WebSocket would push instead.

const state = { after: 0, columns: [], rows: new Map() };

async function loadColumns() {
    const services = await (await fetch('api/services')).json();
    const names = [...new Set(services.map(s => s.service))];
    state.columns = [...names, 'warehouse', 'unrouted'];
    const head = document.querySelector('[data-testid=routing] thead tr');
    state.columns.forEach(name => {
        const th = document.createElement('th');
        th.textContent = name;
        head.appendChild(th);
    });
}

function rowFor(id, key) {
    const rowKey = id + ' ' + key;
    if (!state.rows.has(rowKey)) {
        const tr = document.createElement('tr');
        tr.dataset.id = id;
        tr.dataset.key = key;
        [id, key, ...state.columns.map(() => '')].forEach(text => {
            const td = document.createElement('td');
            td.textContent = text;
            tr.appendChild(td);
        });
        document.querySelector('[data-testid=routing] tbody').prepend(tr);
        state.rows.set(rowKey, tr);
    }
    return state.rows.get(rowKey);
}

function mark(tr, column, css, sign = '✓', why = '') {
    const index = state.columns.indexOf(column);
    if (index >= 0) {
        const td = tr.children[index + 2];
        td.textContent = td.textContent === '' ? sign : td.textContent + sign; // two ✓ would be a duplicate
        td.classList.add(css);
        if (why) {
            td.title = why;
        }
    }
}

function show(delivery) {
    const service = delivery.service.replace(/-\d+$/, ''); // billing-1 and billing-2 are billing
    if (delivery.line.startsWith(' [!]')) {
        if (delivery.key !== '') { // a message the service set aside, in the dead-letter queue: ✗, and the reason on hover
            mark(rowFor(delivery.id || '?', delivery.key), service, 'dead', '✗', delivery.line);
        }
    } else if (delivery.service === 'x' && delivery.key.startsWith('order.')) {
        rowFor(delivery.id, delivery.key);
    } else if (delivery.key.startsWith('order.')) {
        mark(rowFor(delivery.id, delivery.key), service, 'got');
    } else if (service === 'unrouted') {
        mark(rowFor(delivery.id, delivery.key), 'unrouted', 'unrouted');
    } else if (service === 'warehouse') {
        const paid = [...state.rows.values()].find(tr => tr.dataset.id === delivery.id && tr.dataset.key.endsWith('.paid'));
        if (paid) {
            mark(paid, 'warehouse', 'got');
        }
    }
}

async function poll() {
    try {
        const deliveries = await (await fetch(`api/deliveries?after=${state.after}`)).json();
        deliveries.forEach(d => {
            show(d);
            state.after = Math.max(state.after, d.seq);
        });
        const ticks = await (await fetch('api/ticks')).json();
        const body = document.querySelector('[data-testid=ticks] tbody');
        body.replaceChildren(...Object.entries(ticks.received).map(([name, count]) => {
            const tr = document.createElement('tr');
            [name, String(count)].forEach(text => {
                const td = document.createElement('td');
                td.textContent = text;
                tr.appendChild(td);
            });
            return tr;
        }));
        document.querySelector('[data-testid=prices]').textContent =
            Object.entries(ticks.last).sort().map(([instrument, price]) => `${instrument} ${price}`).join('   ');
    } finally {
        setTimeout(poll, 500);
    }
}

let next = 1;
document.querySelector('[data-testid=publish]').addEventListener('submit', async event => {
    event.preventDefault();
    const error = document.querySelector('[data-testid=error]');
    error.textContent = '';
    const key = document.querySelector('[data-testid=key]').value.trim();
    const amount = Number(document.querySelector('[data-testid=amount]').value);
    const response = await fetch('api/orders/events', {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({key, orderId: `W-${Date.now() % 100000}-${next++}`, amount})
    });
    if (!response.ok) {
        const problem = await response.json();
        error.textContent = problem.detail; // the server's problem+json says what was wrong
    }
});

loadColumns().then(poll);
