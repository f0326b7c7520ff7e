// What a Vue app pays for @wireline/vue: one component's worth of every composable and the
// plugin, with `vue` left out (the app has it anyway). Shared by the size budget and the bench.

/** An app using the plugin and every composable of `@wireline/vue`. */
export const vueBindingApp = `import { createApp, defineComponent, h } from "vue";
import { createWireline, useConnectionState, useEmitWithAck, useSocket, useSocketEvent, useSocketValue } from "@wireline/vue";
const App = defineComponent({
  setup() {
    const socket = useSocket();
    const status = useConnectionState((s) => s.status);
    const last = useSocketValue(socket, "message", "");
    const save = useEmitWithAck(socket, "save", { timeout: 5000 });
    useSocketEvent(socket, "message", (text) => console.log(text));
    return () => h("p", [status.value, last.value, save.status.value]);
  },
});
createApp(App).use(createWireline({ url: "https://example.com" })).mount("#app");`;

/** The same app's realtime part written against socket.io-client directly, for comparison. */
export const vueSocketIoClientApp = `import { createApp, defineComponent, h, onScopeDispose, shallowRef } from "vue";
import { io } from "socket.io-client";
const socket = io("https://example.com");
const App = defineComponent({
  setup() {
    const status = shallowRef(socket.connected ? "connected" : "connecting");
    const last = shallowRef("");
    const onMessage = (text) => { last.value = text; console.log(text); };
    socket.on("message", onMessage);
    socket.on("connect", () => (status.value = "connected"));
    socket.on("disconnect", () => (status.value = "disconnected"));
    onScopeDispose(() => socket.off("message", onMessage));
    const save = () => socket.timeout(5000).emitWithAck("save", {});
    return () => h("p", [status.value, last.value, String(save)]);
  },
});
createApp(App).mount("#app");`;
