/**
 * The path and query of a request URL. `Request.url` is always an absolute URL already parsed and
 * serialized by the runtime, so they can be cut out of it instead of parsing it once more per request.
 */

export interface RequestTarget {
  /** As URL.pathname: still percent-encoded. */
  pathname: string;
  query: URLSearchParams;
}

export function requestTarget(href: string): RequestTarget {
  const authority = href.indexOf('//');
  const pathStart = authority === -1 ? -1 : href.indexOf('/', authority + 2);
  if (pathStart === -1) {
    const url = new URL(href);
    return { pathname: url.pathname, query: url.searchParams };
  }
  const hash = href.indexOf('#', pathStart);
  const end = hash === -1 ? href.length : hash;
  const question = href.indexOf('?', pathStart);
  if (question === -1 || question > end) {
    return { pathname: href.slice(pathStart, end), query: new URLSearchParams() };
  }
  return {
    pathname: href.slice(pathStart, question),
    query: new URLSearchParams(href.slice(question + 1, end)),
  };
}
