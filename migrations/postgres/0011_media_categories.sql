-- 0011_media_categories: the documents table accepts the media categories (therapy-media, profile-photo,
-- verification-photo, chat-image) beside the nine document categories. The column's CHECK of 0001 is replaced by a
-- wider one under the same name; every existing row satisfies it.

ALTER TABLE documents DROP CONSTRAINT documents_category_check;
ALTER TABLE documents ADD CONSTRAINT documents_category_check CHECK (category IN (
    'medical-records', 'lab-results', 'imaging', 'consent-forms', 'intake-forms',
    'insurance', 'invoices', 'prescriptions', 'other',
    'therapy-media', 'profile-photo', 'verification-photo', 'chat-image'));
