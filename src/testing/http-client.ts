/* eslint-disable @typescript-eslint/no-explicit-any -- answers are read loosely in tests (`res.body.access`) */

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  /** The body as received. */
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: T;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as-is (set the content type in headers). */
  body?: string | Buffer | FormData | URLSearchParams;
  redirect?: RequestRedirect;
  /** Aborts (the request throws) when no answer came within this time: a hang fails the test. */
  timeoutMs?: number;
}

export interface HttpClientOptions {
  /** Headers sent with every request (a request's own win), e.g. `Authorization`. */
  headers?: Record<string, string>;
  /**
   * Keeps the cookies answers set and sends them back, as a browser does; on
   * unsafe methods it echoes the `csrftoken` cookie in `X-CSRFToken`, as
   * Django's JavaScript clients do.
   */
  cookies?: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** fetch against the app: JSON in, parsed JSON out, the raw text kept; redirects not followed. */
export class HttpClient {
  /** The cookies kept (name → value) when made with `cookies: true`. */
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly options: HttpClientOptions = {},
  ) {}

  /** A client for the same app whose requests also carry `headers`. */
  withHeaders(headers: Record<string, string>): HttpClient {
    return new HttpClient(this.baseUrl, {
      ...this.options,
      headers: { ...this.options.headers, ...headers },
    });
  }

  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...this.options.headers, ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    }
    if (this.options.cookies) this.addCookies(method, headers);
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body as BodyInit | undefined,
      redirect: options.redirect ?? 'manual',
      signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
    });
    if (this.options.cookies) this.keepCookies(response.headers);
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed as T };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }

  post<T = any>(path: string, json?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, {
      ...options,
      json: options.body === undefined ? json : undefined,
    });
  }

  put<T = any>(path: string, json?: unknown, options: RequestOptions = {}) {
    return this.request<T>('PUT', path, { ...options, json });
  }

  patch<T = any>(path: string, json?: unknown, options: RequestOptions = {}) {
    return this.request<T>('PATCH', path, { ...options, json });
  }

  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  private addCookies(method: string, headers: Record<string, string>): void {
    const names = Object.keys(headers).map((name) => name.toLowerCase());
    if (this.cookies.size > 0 && !names.includes('cookie')) {
      headers.cookie = [...this.cookies]
        .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
        .join('; ');
    }
    const csrf = this.cookies.get('csrftoken');
    if (csrf && !SAFE_METHODS.has(method.toUpperCase()) && !names.includes('x-csrftoken')) {
      headers['x-csrftoken'] = csrf;
    }
  }

  private keepCookies(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(/;\s*/);
      const index = pair.indexOf('=');
      if (index <= 0) continue;
      const name = pair.slice(0, index);
      const value = decodeURIComponent(pair.slice(index + 1));
      const expired = attributes.some(
        (attribute) =>
          /^max-age=(0|-\d+)$/i.test(attribute) ||
          (/^expires=/i.test(attribute) && Date.parse(attribute.slice(8)) <= Date.now()),
      );
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
