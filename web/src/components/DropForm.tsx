import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, type CreateProductRequest, type Product, type UpdateProductRequest } from '../api/client';
import { changedFields, createRequest, draftOf, EMPTY_DRAFT, fieldErrors, type DropDraft } from '../console';
import { Dialog } from './Dialog';

interface Props {
  /** The product to edit; null: a new drop. */
  product: Product | null;
  open: boolean;
  onClose: () => void;
  /** Creates (no id) or changes the drop; an ApiError's problem is shown at the fields it names. */
  onSave: (save: DropSave) => Promise<void>;
}

/** What the form asks to save: a new drop, or an existing one's changed fields. */
export interface DropSave {
  create?: CreateProductRequest;
  changes?: UpdateProductRequest;
}

type Errors = Partial<Record<keyof DropDraft, string>>;

/** One labelled input with the server's error under it (tied to it for screen readers). */
function Field({ id, label, error, hint, children }: { id: keyof DropDraft; label: string; error?: string; hint?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={`drop-${id}`}>{label}</label>
      {children}
      {hint && <span className="muted hint" id={`drop-${id}-hint`}>{hint}</span>}
      {error && <span className="error" id={`drop-${id}-error`} role="alert">{error}</span>}
    </div>
  );
}

/**
 * Prepares a drop: a new product, or an existing one's details, sale window, limit and waiting room. An edit sends
 * only what the operator changed (console.ts), so touching the price never moves the schedule.
 */
export function DropForm({ product, open, onClose, onSave }: Props) {
  const [original, setOriginal] = useState<DropDraft>(EMPTY_DRAFT);
  const [draft, setDraft] = useState<DropDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const editing = product !== null;

  useEffect(() => {
    if (!open) return;
    const start = product ? draftOf(product) : EMPTY_DRAFT;
    setOriginal(start);
    setDraft(start);
    setErrors({});
    setFormError(null);
  }, [open, product]);

  const set = <K extends keyof DropDraft>(key: K) => (value: DropDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const input = (key: Exclude<keyof DropDraft, 'queue'>, type = 'text', extra: Record<string, unknown> = {}) => (
    <input id={`drop-${key}`} name={key} type={type} value={draft[key]} onChange={(e) => set(key)(e.target.value)}
      aria-invalid={errors[key] ? true : undefined} aria-describedby={errors[key] ? `drop-${key}-error` : undefined} {...extra} />
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const changes = editing ? changedFields(original, draft) : undefined;
    if (changes && Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    setSaving(true);
    try {
      await onSave(editing ? { changes } : { create: createRequest(draft) });
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      const placed = fieldErrors(failure.problem);
      setErrors(placed.fields);
      setFormError(placed.form);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog open={open} title={editing ? `Edit ${product?.name}` : 'New drop'} onClose={onClose}>
      <form onSubmit={submit} className="drop-form" noValidate>
        <fieldset>
          <legend>Product</legend>
          {!editing && <Field id="sku" label="SKU" error={errors.sku}>{input('sku', 'text', { required: true, autoComplete: 'off' })}</Field>}
          <Field id="name" label="Name" error={errors.name}>{input('name', 'text', { required: true })}</Field>
          <Field id="description" label="Description" error={errors.description}>{input('description')}</Field>
          <Field id="imageUrl" label="Image URL" error={errors.imageUrl}>{input('imageUrl', 'url')}</Field>
          <div className="field-row">
            <Field id="price" label="Price" error={errors.price}>{input('price', 'text', { inputMode: 'decimal', required: true })}</Field>
            {!editing && <Field id="currency" label="Currency" error={errors.currency}>{input('currency', 'text', { maxLength: 3 })}</Field>}
          </div>
          {!editing && (
            <div className="field-row">
              <Field id="totalStock" label="Stock" error={errors.totalStock}>{input('totalStock', 'text', { inputMode: 'numeric', required: true })}</Field>
              <Field id="stripes" label="Stripes" error={errors.stripes}>{input('stripes', 'text', { inputMode: 'numeric' })}</Field>
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>Sale</legend>
          <div className="field-row">
            <Field id="saleStartsAt" label="Sale starts" error={errors.saleStartsAt}>{input('saleStartsAt', 'datetime-local', { step: 1 })}</Field>
            <Field id="saleEndsAt" label="Sale ends" error={errors.saleEndsAt}>{input('saleEndsAt', 'datetime-local', { step: 1 })}</Field>
          </div>
          <Field id="maxPerShopper" label="Limit per shopper" error={errors.maxPerShopper} hint="Empty: no limit">
            {input('maxPerShopper', 'text', { inputMode: 'numeric' })}
          </Field>
        </fieldset>
        <fieldset>
          <legend>Waiting room</legend>
          <label className="check">
            <input type="checkbox" checked={draft.queue} onChange={(e) => set('queue')(e.target.checked)} /> Sell through a waiting room
          </label>
          {draft.queue && (
            <div className="field-row">
              <Field id="queueOpensAt" label="Queue opens" error={errors.queueOpensAt} hint="Empty: at once">{input('queueOpensAt', 'datetime-local', { step: 1 })}</Field>
              <Field id="admissionSeconds" label="Admission (seconds)" error={errors.admissionSeconds}>{input('admissionSeconds', 'text', { inputMode: 'numeric' })}</Field>
            </div>
          )}
        </fieldset>
        {formError && <p role="alert" className="error">{formError}</p>}
        <div className="dialog-actions">
          <button type="button" className="ghost" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={saving}>{saving ? 'Saving…' : editing ? 'Save changes' : 'Create drop'}</button>
        </div>
      </form>
    </Dialog>
  );
}
