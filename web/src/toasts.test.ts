import { describe, expect, it } from 'vitest';
import { withToast, type Toast } from './components/Toasts';

const toast = (id: number, text: string, key?: string): Toast => ({ id, kind: 'error', text, key });

describe('toasts', () => {
  it('never stack two identical ones', () => {
    const { shown } = withToast([toast(1, 'Only 2 left')], toast(2, 'Only 2 left'));
    expect(shown.map((t) => t.id)).toEqual([2]);
  });

  it('replace the one with the same key, whatever its text', () => {
    const { shown, replaced } = withToast([toast(1, 'Offline', 'offline'), toast(2, 'Other')], toast(3, 'Still offline', 'offline'));
    expect(shown.map((t) => t.id)).toEqual([2, 3]);
    expect(replaced.map((t) => t.id)).toEqual([1]);
  });

  it('keep at most four', () => {
    const all = [1, 2, 3, 4].map((i) => toast(i, `t${i}`));
    expect(withToast(all, toast(5, 't5')).shown.map((t) => t.id)).toEqual([2, 3, 4, 5]);
  });
});
