// The WebSocket to the server, reconnecting by itself: after the server or the network went
// away, and when the server has said nothing for a while (it sends its status every second, so
// silence means a dead connection that the browser has not noticed).

const SILENCE_MS = 5000;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5000;

/**
 * Connects to `path` on this page's server and keeps connecting. `onMessage` gets each parsed
 * message; `onState` gets true when connected, false when not.
 */
export function connectLive(path, { onMessage, onState }) {
  let retryMs = RETRY_MIN_MS;
  let silenceTimer = null;

  const connect = () => {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}${path}`);
    const watchSilence = () => {
      clearTimeout(silenceTimer);
      silenceTimer = setTimeout(() => socket.close(), SILENCE_MS);
    };
    socket.onopen = () => {
      retryMs = RETRY_MIN_MS;
      watchSilence();
      onState(true);
    };
    socket.onmessage = (event) => {
      watchSilence();
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        console.warn('not a JSON message from the server', error);
        return;
      }
      onMessage(message);
    };
    socket.onclose = () => {
      clearTimeout(silenceTimer);
      onState(false);
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    };
    // An error is always followed by close, which retries.
  };
  connect();
}
