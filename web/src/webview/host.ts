// Which native app hosts this page, and how to talk to it: iOS WKWebView
// (window.webkit.messageHandlers.parcours), Android WebView (window.ParcoursAndroid, added
// with addJavascriptInterface) or React Native WebView (window.ReactNativeWebView). None in
// a plain browser.

export type Channel = 'web' | 'ios-webview' | 'android-webview' | 'react-native-webview';

/** A native host: its channel name, and how to hand it one message (a JSON string). */
export interface NativeHost {
  channel: Exclude<Channel, 'web'>;
  post(message: string): void;
}

type PostTarget = { postMessage(message: string): void };
const canPost = (value: unknown): value is PostTarget =>
  typeof value === 'object' && value !== null && typeof (value as PostTarget).postMessage === 'function';

/** The native host of this page, checked in a fixed order (iOS, Android, React Native), or null. */
export function detectHost(scope: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): NativeHost | null {
  const webkit = scope.webkit as { messageHandlers?: Record<string, unknown> } | undefined;
  const ios = webkit?.messageHandlers?.parcours;
  if (canPost(ios)) return { channel: 'ios-webview', post: (message) => ios.postMessage(message) };
  const android = scope.ParcoursAndroid;
  if (canPost(android)) return { channel: 'android-webview', post: (message) => android.postMessage(message) };
  const reactNative = scope.ReactNativeWebView;
  if (canPost(reactNative)) return { channel: 'react-native-webview', post: (message) => reactNative.postMessage(message) };
  return null;
}
