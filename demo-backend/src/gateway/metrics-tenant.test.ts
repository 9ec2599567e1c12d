import { describe, expect, it } from 'vitest';
import { createTenantResolver } from './metrics-tenant.js';

describe('createTenantResolver', () => {
  it('reads the header first, then the query parameter, and defaults to "default"', () => {
    const resolve = createTenantResolver();
    expect(resolve({ headers: { 'x-tenant-id': 'acme' }, url: '/api/chat?tenant=other' })).toBe('acme');
    expect(resolve({ headers: {}, url: '/api/chat/stream?tenant=globex&message=hi' })).toBe('globex');
    expect(resolve({ headers: {}, url: '/api/chat' })).toBe('default');
    expect(resolve({ headers: { 'x-tenant-id': '  ' }, url: '/api/chat' })).toBe('default');
  });

  it('bounds the label values: malformed ids and tenants beyond the limit are folded', () => {
    const resolve = createTenantResolver(2);
    expect(resolve({ headers: { 'x-tenant-id': 'a b' }, url: '/' })).toBe('_invalid');
    expect(resolve({ headers: { 'x-tenant-id': 'x'.repeat(65) }, url: '/' })).toBe('_invalid');
    expect(resolve({ headers: { 'x-tenant-id': 't1' }, url: '/' })).toBe('t1');
    expect(resolve({ headers: { 'x-tenant-id': 't2' }, url: '/' })).toBe('t2');
    expect(resolve({ headers: { 'x-tenant-id': 't3' }, url: '/' })).toBe('_other');
    // Known tenants keep their own series.
    expect(resolve({ headers: { 'x-tenant-id': 't1' }, url: '/' })).toBe('t1');
  });
});
