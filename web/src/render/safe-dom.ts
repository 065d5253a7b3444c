// The only way the renderer builds DOM: elements from a fixed tag list, attributes set one by
// one, text inserted as text. Ruleset and context strings never reach innerHTML, so a hostile
// ruleset can show `<img onerror=…>` but never run it. URLs are checked before use.

type Attributes = Record<string, string | undefined>;
type Child = Node | string | null | undefined | false;

/** Creates `tag` with attributes (undefined ones skipped) and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    // Event handler attributes would be script: the renderer adds listeners in code instead.
    if (value !== undefined && !/^on/i.test(name)) element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

function parsed(url: string | undefined): URL | null {
  if (typeof url !== 'string' || url.trim() === '') return null;
  try {
    return new URL(url.trim(), location.href);
  } catch {
    return null;
  }
}

/**
 * A URL the renderer may use for a link or an image: http(s), absolute or relative to the
 * page (resolved against it). `javascript:`, `data:`, `blob:` and the rest give null.
 */
export function httpUrl(url: string | undefined): string | null {
  const resolved = parsed(url);
  return resolved && (resolved.protocol === 'https:' || resolved.protocol === 'http:') ? resolved.href : null;
}
