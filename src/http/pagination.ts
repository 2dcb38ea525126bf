import { HttpStatus } from '@nestjs/common';
import type { HttpRequest } from './http-seam';
import type { GatehouseConfig } from '../config/gatehouse-config';
import { DrfException } from '../problems/drf.exception';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/** A DRF page: `{count, next, previous, results}` with absolute links. */
export interface DrfPage<V> {
  count: number;
  next: string | null;
  previous: string | null;
  results: V[];
}

/**
 * The absolute URL of the page a request asked for, on PUBLIC_URL: DRF builds it
 * from the request's Host, which the client chooses (and Django checks against
 * ALLOWED_HOSTS); Gatehouse never writes a link from it.
 */
export function pageUrl(config: GatehouseConfig, request: HttpRequest): string {
  return `${config.publicBaseUrl}${request.url}`;
}

/**
 * DRF's PageNumberPagination (with `page_size` as the client's page size, 100 at
 * most): `fetch` reads one page of rows and the total; a page below 1, past the
 * last or not a number is a 404 "Invalid page.".
 */
export async function paginate<T, V>(
  url: string,
  pageText: string | undefined,
  pageSizeText: string | undefined,
  fetch: (skip: number, take: number) => Promise<[T[], number]>,
  view: (row: T) => V,
): Promise<DrfPage<V>> {
  const pageSize = clampPageSize(pageSizeText);
  const page = pageText === undefined ? 1 : Number(pageText);
  const valid = Number.isSafeInteger(page) && page >= 1;
  // PostgreSQL refuses a negative OFFSET: an invalid page reads the first, then answers 404.
  const [rows, count] = await fetch(valid ? Math.min(page - 1, 2 ** 31) * pageSize : 0, pageSize);
  const pages = Math.max(1, Math.ceil(count / pageSize));
  if (!valid || page > pages) throw DrfException.detail(HttpStatus.NOT_FOUND, 'Invalid page.');
  return {
    count,
    next: page < pages ? withPage(url, page + 1) : null,
    previous: page > 1 ? withPage(url, page - 1) : null,
    results: rows.map(view),
  };
}

function clampPageSize(text?: string): number {
  const size = Number(text);
  if (text === undefined || !Number.isSafeInteger(size) || size < 1) return DEFAULT_PAGE_SIZE;
  return Math.min(size, MAX_PAGE_SIZE);
}

function withPage(url: string, page: number): string {
  const link = new URL(url);
  if (page === 1) link.searchParams.delete('page');
  else link.searchParams.set('page', String(page));
  return link.toString();
}
