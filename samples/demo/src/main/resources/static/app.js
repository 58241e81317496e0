'use strict';

const timeline = document.getElementById('timeline');
const threadPane = document.getElementById('thread');
let selectedThread = null;
let lastRender = '';
let ephemeralsSeen = null;

document.getElementById('break').onclick = () => fetch('demo/break', { method: 'POST' }).then(refresh);
document.getElementById('fix').onclick = () => fetch('demo/fix', { method: 'POST' }).then(refresh);

function decode(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// Renders Slack mrkdwn: *bold*, <!date^…|…>, <!here>, <url|label>; everything else as text.
function mrkdwn(text, target) {
  const parts = text.split(/(<[^>]*>)/);
  for (const part of parts) {
    if (part.startsWith('<') && part.endsWith('>')) {
      target.appendChild(control(part.slice(1, -1)));
    } else if (part) {
      const bold = part.split(/(\*[^*\n]+\*)/);
      for (const piece of bold) {
        if (piece.length > 2 && piece.startsWith('*') && piece.endsWith('*')) {
          const b = document.createElement('b');
          b.textContent = decode(piece.slice(1, -1));
          target.appendChild(b);
        } else if (piece) {
          target.appendChild(document.createTextNode(decode(piece)));
        }
      }
    }
  }
}

function control(body) {
  const [head, label] = body.split('|');
  const span = document.createElement('span');
  if (head.startsWith('!date^')) {
    const epoch = Number(head.split('^')[1]);
    span.textContent = new Date(epoch * 1000).toLocaleString();
    span.title = label || '';
  } else if (head.startsWith('!') || head.startsWith('@')) {
    span.className = 'mention';
    span.textContent = '@' + (head.startsWith('!subteam') ? (label || 'group') : head.replace(/^[!@]/, ''));
  } else {
    const a = document.createElement('a');
    a.href = head;
    a.textContent = label || head;
    return a;
  }
  return span;
}

function attachmentNode(message, attachment) {
  const box = document.createElement('div');
  box.className = 'attachment';
  const bar = document.createElement('div');
  bar.className = 'bar';
  bar.style.background = attachment.color;
  const body = document.createElement('div');
  body.className = 'attachment-body';
  for (const block of attachment.blocks || []) {
    if (block.text) {
      const section = document.createElement('div');
      section.className = 'section';
      mrkdwn(block.text.text, section);
      body.appendChild(section);
    }
    if (block.type === 'context') {
      const context = document.createElement('div');
      context.className = 'context';
      for (const element of block.elements || []) {
        if (element.text) mrkdwn(element.text, context);
      }
      body.appendChild(context);
    }
    if (block.type === 'actions') {
      const actions = document.createElement('div');
      actions.className = 'actions';
      actions.dataset.blockId = block.block_id || '';
      for (const element of block.elements || []) {
        if (element.type === 'button') actions.appendChild(buttonNode(message, block, element));
      }
      body.appendChild(actions);
    }
    if (block.fields) {
      const fields = document.createElement('div');
      fields.className = 'fields';
      for (const field of block.fields) {
        const cell = document.createElement('div');
        cell.className = 'field';
        mrkdwn(field.text, cell);
        fields.appendChild(cell);
      }
      body.appendChild(fields);
    }
  }
  box.append(bar, body);
  return box;
}

// A Block Kit button: a click asks first when the button has a confirm dialog, then goes to Slack (here, the
// recorder's Socket Mode stand-in) as the demo's user.
function buttonNode(message, block, element) {
  const button = document.createElement('button');
  button.className = 'block-button' + (element.style ? ' ' + element.style : '');
  button.textContent = element.text ? element.text.text : element.action_id;
  button.dataset.actionId = element.action_id;
  button.onclick = () => {
    const send = () => click(message, block, element, button);
    if (element.confirm) {
      ask(element.confirm, send);
    } else {
      send();
    }
  };
  return button;
}

function ask(confirm, then) {
  const modal = document.getElementById('confirm');
  const ok = document.getElementById('confirm-ok');
  document.getElementById('confirm-title').textContent = confirm.title ? confirm.title.text : 'Are you sure?';
  document.getElementById('confirm-text').textContent = confirm.text ? confirm.text.text : '';
  ok.textContent = confirm.confirm ? confirm.confirm.text : 'Confirm';
  ok.className = 'ok' + (confirm.style ? ' ' + confirm.style : '');
  document.getElementById('confirm-deny').textContent = confirm.deny ? confirm.deny.text : 'Cancel';
  const close = () => { modal.hidden = true; };
  document.getElementById('confirm-deny').onclick = close;
  modal.onclick = (event) => { if (event.target === modal) close(); };
  ok.onclick = () => { close(); then(); };
  modal.hidden = false;
}

async function click(message, block, element, button) {
  button.disabled = true;
  try {
    const response = await fetch('demo/slack/click', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        channel: message.channel, ts: message.ts, blockId: block.block_id, actionId: element.action_id,
        value: element.value, label: element.text ? element.text.text : null,
      }),
    });
    const answer = await response.json();
    if (!response.ok || !answer.acknowledged) toast(answer.error || 'The click was not delivered', 'error');
  } catch (e) {
    toast('demo not reachable', 'error');
  } finally {
    button.disabled = false;
  }
}

function toast(text, kind) {
  const node = document.createElement('div');
  node.className = 'toast ' + kind;
  const head = document.createElement('div');
  head.className = 'toast-head';
  head.textContent = kind === 'ephemeral' ? 'Only visible to you' : 'Slack';
  const body = document.createElement('div');
  mrkdwn(text, body);
  node.append(head, body);
  document.getElementById('toasts').appendChild(node);
  setTimeout(() => node.remove(), 8000);
}

async function showEphemerals() {
  const ephemerals = await (await fetch('recorder/ephemerals')).json();
  if (ephemeralsSeen !== null) {
    for (const ephemeral of ephemerals.slice(ephemeralsSeen)) toast(ephemeral.text, 'ephemeral');
  }
  ephemeralsSeen = ephemerals.length;
}

function messageNode(message, options) {
  const node = document.createElement('div');
  node.className = 'message';
  node.dataset.ts = message.ts;
  if (message.threadTs) node.dataset.threadTs = message.threadTs;
  const avatar = document.createElement('div');
  avatar.className = 'avatar';
  avatar.textContent = '⚡';
  const content = document.createElement('div');
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.innerHTML = '<b>Circuit Breaker Alerts</b><span class="app-badge">APP</span>';
  const time = document.createElement('span');
  time.className = 'time';
  time.textContent = new Date(message.postedAt).toLocaleTimeString();
  meta.appendChild(time);
  content.appendChild(meta);
  if (options.alsoSent) {
    const also = document.createElement('div');
    also.className = 'also';
    also.textContent = options.inThread ? 'Also sent to the channel' : 'replied to a thread:';
    content.appendChild(also);
  }
  const attachments = message.attachments || [];
  if (attachments.length === 0 && message.text) {
    // A message without attachments, such as the echo of a button, shows its text as Slack does
    const text = document.createElement('div');
    text.className = 'section plain';
    mrkdwn(message.text, text);
    content.appendChild(text);
  }
  for (const attachment of attachments) content.appendChild(attachmentNode(message, attachment));
  if (message.edited) {
    const edited = document.createElement('span');
    edited.className = 'edited';
    edited.textContent = '(edited)';
    content.appendChild(edited);
  }
  if (options.replies) {
    const replies = document.createElement('div');
    replies.className = 'replies';
    replies.textContent = options.replies + (options.replies === 1 ? ' reply' : ' replies');
    replies.onclick = () => { selectedThread = message.ts; lastRender = ''; refresh(); };
    content.appendChild(replies);
  }
  node.append(avatar, content);
  return node;
}

function render(messages) {
  const roots = messages.filter((m) => !m.threadTs);
  const repliesOf = (ts) => messages.filter((m) => m.threadTs === ts);
  timeline.replaceChildren();
  for (const message of messages) {
    if (!message.threadTs) {
      timeline.appendChild(messageNode(message, { replies: repliesOf(message.ts).length }));
    } else if (message.broadcast) {
      timeline.appendChild(messageNode(message, { alsoSent: true }));
    }
  }
  const threaded = roots.filter((root) => repliesOf(root.ts).length > 0);
  const root = roots.find((m) => m.ts === selectedThread) || threaded[threaded.length - 1];
  if (root) {
    threadPane.replaceChildren(messageNode(root, {}));
    document.getElementById('thread-title').textContent = '· ' + repliesOf(root.ts).length + ' replies';
    for (const reply of repliesOf(root.ts)) {
      threadPane.appendChild(messageNode(reply, { alsoSent: reply.broadcast, inThread: true }));
    }
  }
}

async function refresh() {
  try {
    const status = await (await fetch('demo/status')).json();
    document.getElementById('channel-name').textContent = status.channel || 'alerts';
    document.getElementById('status').textContent = 'payment-api: ' + status.circuitBreaker
      + (status.providerBroken ? ' · provider DOWN' : ' · provider up')
      + ' · ' + status.succeeded + ' ok / ' + status.failed + ' failed calls';
    document.getElementById('target').textContent = status.target === 'recorder'
      ? 'No SLACK_BOT_TOKEN set: showing the Slack-compatible recorder inside this demo.'
      : 'Posting to your Slack workspace: open channel ' + status.channel + ' in Slack.';
    if (status.target !== 'recorder') return;
    await showEphemerals();
    const response = await fetch('recorder/messages');
    const text = await response.text();
    if (text !== lastRender) {
      lastRender = text;
      render(JSON.parse(text));
    }
  } catch (e) {
    document.getElementById('status').textContent = 'demo not reachable';
  }
}

refresh();
setInterval(refresh, 700);
