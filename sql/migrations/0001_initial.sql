-- newsetl core schema, revision 0001.
-- Every table and column carries a COMMENT: analysts read them in their SQL client.
-- Offsets (start_char, end_char) count Unicode code points, like Python str and SQL substr(),
-- into articles.full_text (title, a blank line, body), end exclusive.

-- The SQL twin of etl.arabic.normalise_arabic's letter folding, for search and name matching in SQL:
-- harakat, Quranic marks and tatweel removed; alef variants -> ا, alef maqsura -> ي, ta marbuta -> ه,
-- hamza carriers -> ء, Persian keheh/yeh -> ك/ي, Eastern Arabic and Persian digits -> ASCII.
CREATE FUNCTION arabic_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN translate(
    regexp_replace(t, '[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]', '', 'g'),
    'أإآٱىةؤئکی٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹',
    'اااايهءءكي01234567890123456789');
COMMENT ON FUNCTION arabic_fold(text) IS
  'Arabic spelling-variant folding (diacritics, tatweel, alef/ya/ta marbuta/hamza forms, digits). Search with search @@ plainto_tsquery(''arabic'', arabic_fold(''الأسد'')).';

CREATE TABLE pipeline_runs (
    run_id        text PRIMARY KEY,
    logical_date  date NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'success', 'failed')),
    stats         jsonb NOT NULL DEFAULT '{}'::jsonb,
    code_version  text NOT NULL
);
COMMENT ON TABLE pipeline_runs IS 'One row per nightly batch (logical night). Rerunning a night updates its row.';
COMMENT ON COLUMN pipeline_runs.run_id IS 'Run key, e.g. news_ingest/2026-11-24; carried by every row the run wrote.';
COMMENT ON COLUMN pipeline_runs.logical_date IS 'The night the run covers (Airflow logical date, UTC).';
COMMENT ON COLUMN pipeline_runs.started_at IS 'When the latest attempt at this night started.';
COMMENT ON COLUMN pipeline_runs.finished_at IS 'When the latest attempt finished; NULL while running.';
COMMENT ON COLUMN pipeline_runs.status IS 'running, success or failed.';
COMMENT ON COLUMN pipeline_runs.stats IS 'Per-stage counts and discards with reasons (JSON, keyed by stage).';
COMMENT ON COLUMN pipeline_runs.code_version IS 'newsetl version and model/extractor versions that produced the rows.';

CREATE TABLE sources (
    id          serial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    homepage    text,
    language    text,
    country     text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE sources IS 'Publishers (outlets) as named in the feeds file or OPML.';
COMMENT ON COLUMN sources.id IS 'Surrogate key.';
COMMENT ON COLUMN sources.name IS 'Outlet name; natural key.';
COMMENT ON COLUMN sources.homepage IS 'Outlet home page URL, if given.';
COMMENT ON COLUMN sources.language IS 'Main language of the outlet (ISO 639-1), as configured.';
COMMENT ON COLUMN sources.country IS 'Country of the outlet (ISO 3166-1 alpha-2), as configured.';
COMMENT ON COLUMN sources.created_at IS 'When the source was first registered.';

CREATE TABLE feeds (
    id                    serial PRIMARY KEY,
    source_id             integer NOT NULL REFERENCES sources (id),
    url                   text NOT NULL UNIQUE,
    configured_url        text NOT NULL UNIQUE,
    active                boolean NOT NULL DEFAULT true,
    deactivated_reason    text,
    etag                  text,
    last_modified         text,
    last_fetch_at         timestamptz,
    last_success_at       timestamptz,
    last_status           integer,
    consecutive_failures  integer NOT NULL DEFAULT 0,
    last_error            text,
    created_at            timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE feeds IS 'RSS/Atom feeds polled each night, with their health.';
COMMENT ON COLUMN feeds.id IS 'Surrogate key.';
COMMENT ON COLUMN feeds.source_id IS 'Outlet that publishes the feed.';
COMMENT ON COLUMN feeds.url IS 'Current feed URL (updated after a permanent redirect).';
COMMENT ON COLUMN feeds.configured_url IS 'URL as written in the feeds file; natural key for re-imports.';
COMMENT ON COLUMN feeds.active IS 'False once the feed answered 410 Gone (or was disabled); inactive feeds are not fetched.';
COMMENT ON COLUMN feeds.deactivated_reason IS 'Why the feed was deactivated.';
COMMENT ON COLUMN feeds.etag IS 'ETag of the last successful fetch, sent as If-None-Match.';
COMMENT ON COLUMN feeds.last_modified IS 'Last-Modified of the last successful fetch, sent as If-Modified-Since.';
COMMENT ON COLUMN feeds.last_fetch_at IS 'When the feed was last attempted.';
COMMENT ON COLUMN feeds.last_success_at IS 'When the feed last answered 200 or 304.';
COMMENT ON COLUMN feeds.last_status IS 'HTTP status of the last attempt (NULL when no response).';
COMMENT ON COLUMN feeds.consecutive_failures IS 'Failed nights in a row; 0 after a success.';
COMMENT ON COLUMN feeds.last_error IS 'Reason of the last failure, in words.';
COMMENT ON COLUMN feeds.created_at IS 'When the feed was first registered.';

CREATE TABLE feed_fetches (
    id            bigserial PRIMARY KEY,
    feed_id       integer NOT NULL REFERENCES feeds (id),
    run_id        text NOT NULL REFERENCES pipeline_runs (run_id),
    attempted_at  timestamptz NOT NULL DEFAULT now(),
    url           text NOT NULL,
    final_url     text,
    status_code   integer,
    outcome       text NOT NULL CHECK (outcome IN ('ok', 'not-modified', 'error')),
    bytes         integer NOT NULL DEFAULT 0,
    duration_ms   integer NOT NULL DEFAULT 0,
    attempts      integer NOT NULL DEFAULT 1,
    items_seen    integer NOT NULL DEFAULT 0,
    items_new     integer NOT NULL DEFAULT 0,
    error_kind    text,
    error         text,
    raw_sha256    text,
    UNIQUE (feed_id, run_id)
);
COMMENT ON TABLE feed_fetches IS 'One row per feed per nightly run: the latest attempt, its outcome and size.';
COMMENT ON COLUMN feed_fetches.id IS 'Surrogate key.';
COMMENT ON COLUMN feed_fetches.feed_id IS 'Feed fetched.';
COMMENT ON COLUMN feed_fetches.run_id IS 'Run that fetched it.';
COMMENT ON COLUMN feed_fetches.attempted_at IS 'When the fetch was made.';
COMMENT ON COLUMN feed_fetches.url IS 'URL requested.';
COMMENT ON COLUMN feed_fetches.final_url IS 'URL after redirects.';
COMMENT ON COLUMN feed_fetches.status_code IS 'HTTP status (NULL when no response: refused, timeout, DNS).';
COMMENT ON COLUMN feed_fetches.outcome IS 'ok, not-modified (304, not parsed) or error.';
COMMENT ON COLUMN feed_fetches.bytes IS 'Body size in bytes (decompressed).';
COMMENT ON COLUMN feed_fetches.duration_ms IS 'Wall time of the fetch including retries.';
COMMENT ON COLUMN feed_fetches.attempts IS 'HTTP attempts made (retries + 1).';
COMMENT ON COLUMN feed_fetches.items_seen IS 'Items parsed from the feed.';
COMMENT ON COLUMN feed_fetches.items_new IS 'Items not seen before (new articles).';
COMMENT ON COLUMN feed_fetches.error_kind IS 'Short error class: timeout, refused, too-large, not-a-feed, http-404, …';
COMMENT ON COLUMN feed_fetches.error IS 'Failure reason in words.';
COMMENT ON COLUMN feed_fetches.raw_sha256 IS 'Key of the raw feed bytes in raw_documents.';

CREATE TABLE raw_documents (
    sha256        text PRIMARY KEY,
    url           text NOT NULL,
    content_type  text,
    fetched_at    timestamptz NOT NULL DEFAULT now(),
    size          integer NOT NULL,
    body_zlib     bytea NOT NULL
);
COMMENT ON TABLE raw_documents IS 'Raw bytes of fetched feeds and pages, content-addressed and zlib-compressed, for re-parsing without refetching. Pruned after NEWSETL_RAW_RETENTION_DAYS.';
COMMENT ON COLUMN raw_documents.sha256 IS 'SHA-256 of the uncompressed bytes.';
COMMENT ON COLUMN raw_documents.url IS 'URL the bytes were first fetched from.';
COMMENT ON COLUMN raw_documents.content_type IS 'Content-Type header as served.';
COMMENT ON COLUMN raw_documents.fetched_at IS 'When the bytes were last fetched.';
COMMENT ON COLUMN raw_documents.size IS 'Uncompressed size in bytes.';
COMMENT ON COLUMN raw_documents.body_zlib IS 'zlib-compressed bytes.';

CREATE TABLE articles (
    id                 bigserial PRIMARY KEY,
    url                text NOT NULL,
    url_key            text NOT NULL UNIQUE,
    canonical_url      text,
    guid               text,
    source_id          integer NOT NULL REFERENCES sources (id),
    feed_id            integer REFERENCES feeds (id),
    title              text,
    summary            text,
    body               text,
    full_text          text GENERATED ALWAYS AS (coalesce(title, '') || E'\n\n' || coalesce(body, '')) STORED,
    language           text,
    markup_language    text,
    authors            text[] NOT NULL DEFAULT '{}',
    categories         text[] NOT NULL DEFAULT '{}',
    published_at       timestamptz,
    date_status        text NOT NULL DEFAULT 'ok',
    body_source        text NOT NULL DEFAULT 'feed' CHECK (body_source IN ('feed', 'page')),
    page_status        text NOT NULL DEFAULT 'pending'
                       CHECK (page_status IN ('pending', 'ok', 'failed', 'no-article', 'gave-up')),
    page_attempts      integer NOT NULL DEFAULT 0,
    page_error         text,
    raw_sha256         text,
    extractor          text,
    extractor_version  text,
    content_hash       text,
    title_key          text,
    simhash            bigint,
    duplicate_of       bigint REFERENCES articles (id),
    cluster_id         bigint,
    dedup_version      text,
    entities_version   text,
    nlp_version        text,
    run_id             text NOT NULL REFERENCES pipeline_runs (run_id),
    updated_run_id     text REFERENCES pipeline_runs (run_id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    search             tsvector GENERATED ALWAYS AS (
        to_tsvector(CASE WHEN language = 'ar' THEN 'arabic'::regconfig
                         WHEN language = 'en' THEN 'english'::regconfig
                         ELSE 'simple'::regconfig END,
                    arabic_fold(coalesce(title, '') || ' ' || coalesce(body, '')))) STORED
);
CREATE INDEX articles_published_at_idx ON articles (published_at);
CREATE INDEX articles_source_idx ON articles (source_id);
CREATE INDEX articles_cluster_idx ON articles (cluster_id);
CREATE INDEX articles_content_hash_idx ON articles (content_hash);
CREATE INDEX articles_run_idx ON articles (run_id);
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX articles_updated_run_idx ON articles (updated_run_id);
CREATE INDEX articles_created_at_idx ON articles (created_at);
CREATE INDEX articles_feed_created_idx ON articles (feed_id, created_at);
-- The nightly "what is left to do" lookups, kept small by being partial.
CREATE INDEX articles_pages_todo_idx ON articles (id) WHERE page_status IN ('pending', 'failed');
CREATE INDEX articles_dedup_todo_idx ON articles (id) WHERE dedup_version IS NULL;
CREATE INDEX articles_nlp_todo_idx ON articles (id) WHERE nlp_version IS NULL OR entities_version IS NULL;
COMMENT ON TABLE articles IS 'One row per story URL: feed data, extracted text, dedup and provenance. Text is stored as published.';
COMMENT ON COLUMN articles.id IS 'Surrogate key.';
COMMENT ON COLUMN articles.url IS 'Article URL as given by the feed (absolute).';
COMMENT ON COLUMN articles.url_key IS 'Normalised URL (scheme/host lower-cased, tracking parameters and fragment removed); natural key.';
COMMENT ON COLUMN articles.canonical_url IS 'rel=canonical URL declared by the page, if any.';
COMMENT ON COLUMN articles.guid IS 'Feed item GUID (or its fallback).';
COMMENT ON COLUMN articles.source_id IS 'Outlet that published the story.';
COMMENT ON COLUMN articles.feed_id IS 'Feed the story was first seen in.';
COMMENT ON COLUMN articles.title IS 'Headline as published.';
COMMENT ON COLUMN articles.summary IS 'Feed summary as plain text.';
COMMENT ON COLUMN articles.body IS 'Article text as published (cleaned: NFC, no invisible controls), paragraphs separated by blank lines; the feed summary when the page could not be fetched (see body_source).';
COMMENT ON COLUMN articles.full_text IS 'title, a blank line, body: the text that entity and claim offsets point into.';
COMMENT ON COLUMN articles.language IS 'Detected language (ISO 639-1); markup is only a hint.';
COMMENT ON COLUMN articles.markup_language IS 'Language declared by the page or feed markup.';
COMMENT ON COLUMN articles.authors IS 'Authors from the page or feed.';
COMMENT ON COLUMN articles.categories IS 'Feed categories.';
COMMENT ON COLUMN articles.published_at IS 'Publication time (UTC).';
COMMENT ON COLUMN articles.date_status IS 'ok, missing (no date anywhere), guessed (from the fetch time) or future (clamped).';
COMMENT ON COLUMN articles.body_source IS 'page = extracted from the article page; feed = only what the feed said.';
COMMENT ON COLUMN articles.page_status IS 'pending, ok, failed (will be retried on a later night), no-article, gave-up (retries exhausted).';
COMMENT ON COLUMN articles.page_attempts IS 'Nights the article page was tried.';
COMMENT ON COLUMN articles.page_error IS 'Why the page could not be fetched or extracted.';
COMMENT ON COLUMN articles.raw_sha256 IS 'Key of the raw page bytes in raw_documents.';
COMMENT ON COLUMN articles.extractor IS 'Extractor that produced body (e.g. trafilatura, fallback).';
COMMENT ON COLUMN articles.extractor_version IS 'Extractor version string (provenance).';
COMMENT ON COLUMN articles.content_hash IS 'SHA-256 of the normalised body key: equal hashes are the same copy.';
COMMENT ON COLUMN articles.title_key IS 'Normalised title (Arabic normalisation, casefold) for matching.';
COMMENT ON COLUMN articles.simhash IS '64-bit SimHash of the normalised body shingles (near-duplicate detection).';
COMMENT ON COLUMN articles.duplicate_of IS 'Earliest article this one copies (same or near-identical text: the same wire copy); NULL for originals.';
COMMENT ON COLUMN articles.cluster_id IS 'Story cluster: id of the first article about the same event (near-duplicates and close rewrites).';
COMMENT ON COLUMN articles.dedup_version IS 'Version of the dedup code that set content_hash/duplicate_of/cluster_id.';
COMMENT ON COLUMN articles.entities_version IS 'NER model whose mentions are stored for this article (NULL: to do, or the last attempt failed).';
COMMENT ON COLUMN articles.nlp_version IS 'Model/extractor versions whose entities and claims are stored for this article.';
COMMENT ON COLUMN articles.run_id IS 'Run that first loaded the article.';
COMMENT ON COLUMN articles.updated_run_id IS 'Run that last changed the article.';
COMMENT ON COLUMN articles.created_at IS 'When the row was inserted.';
COMMENT ON COLUMN articles.updated_at IS 'When the row was last changed.';
COMMENT ON COLUMN articles.search IS 'Full-text vector (arabic/english/simple config by language) over arabic_fold(title and body): query it with plainto_tsquery(''arabic'', arabic_fold(''…'')) so hamza, diacritic and digit variants match.';

CREATE TABLE entities (
    id              bigserial PRIMARY KEY,
    key             text NOT NULL UNIQUE,
    canonical_name  text NOT NULL,
    type            text NOT NULL CHECK (type IN ('PER', 'ORG', 'LOC', 'MISC')),
    norm_key        text NOT NULL,
    model_version   text NOT NULL,
    run_id          text NOT NULL REFERENCES pipeline_runs (run_id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entities_norm_key_idx ON entities (norm_key);
COMMENT ON TABLE entities IS 'One row per real-world entity (person, organisation, place, other), across articles and languages.';
COMMENT ON COLUMN entities.id IS 'Surrogate key.';
COMMENT ON COLUMN entities.key IS 'Canonical key: type and normalised name (Arabic normalisation, clitics and titles stripped, cross-language alias applied); natural key.';
COMMENT ON COLUMN entities.canonical_name IS 'Display name: the fullest form seen or the alias table''s preferred name.';
COMMENT ON COLUMN entities.type IS 'PER, ORG, LOC or MISC.';
COMMENT ON COLUMN entities.norm_key IS 'Normalised name without the type, for lookups (see etl.arabic.normalise_key).';
COMMENT ON COLUMN entities.model_version IS 'NER model that first produced the entity.';
COMMENT ON COLUMN entities.run_id IS 'Run that first produced the entity.';
COMMENT ON COLUMN entities.created_at IS 'When the row was inserted.';

CREATE TABLE entity_aliases (
    id         bigserial PRIMARY KEY,
    entity_id  bigint NOT NULL REFERENCES entities (id),
    alias      text NOT NULL,
    alias_key  text NOT NULL,
    language   text,
    UNIQUE (entity_id, alias)
);
CREATE INDEX entity_aliases_key_idx ON entity_aliases (alias_key);
COMMENT ON TABLE entity_aliases IS 'Every surface form seen for an entity, in every language.';
COMMENT ON COLUMN entity_aliases.id IS 'Surrogate key.';
COMMENT ON COLUMN entity_aliases.entity_id IS 'Entity the alias names.';
COMMENT ON COLUMN entity_aliases.alias IS 'Surface form as published.';
COMMENT ON COLUMN entity_aliases.alias_key IS 'Normalised alias (etl.arabic.normalise_key with clitic stripping) for matching.';
COMMENT ON COLUMN entity_aliases.language IS 'Language of the text the alias was seen in.';

CREATE TABLE entity_mentions (
    id             bigserial PRIMARY KEY,
    article_id     bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id      bigint NOT NULL REFERENCES entities (id),
    start_char     integer NOT NULL,
    end_char       integer NOT NULL,
    surface        text NOT NULL,
    label          text NOT NULL,
    model_version  text NOT NULL,
    run_id         text NOT NULL REFERENCES pipeline_runs (run_id),
    UNIQUE (article_id, start_char, end_char)
);
CREATE INDEX entity_mentions_entity_idx ON entity_mentions (entity_id);
CREATE INDEX entity_mentions_run_idx ON entity_mentions (run_id);
COMMENT ON TABLE entity_mentions IS 'Each place an entity is mentioned in an article, with character offsets into articles.full_text.';
COMMENT ON COLUMN entity_mentions.id IS 'Surrogate key.';
COMMENT ON COLUMN entity_mentions.article_id IS 'Article mentioning the entity.';
COMMENT ON COLUMN entity_mentions.entity_id IS 'Canonical entity.';
COMMENT ON COLUMN entity_mentions.start_char IS 'Start offset (code points, 0-based) into articles.full_text.';
COMMENT ON COLUMN entity_mentions.end_char IS 'End offset, exclusive: substr(full_text, start_char + 1, end_char - start_char) = surface.';
COMMENT ON COLUMN entity_mentions.surface IS 'Mention text as published.';
COMMENT ON COLUMN entity_mentions.label IS 'Type given by the recogniser: PER, ORG, LOC, MISC.';
COMMENT ON COLUMN entity_mentions.model_version IS 'NER model that produced the mention.';
COMMENT ON COLUMN entity_mentions.run_id IS 'Run that produced the mention.';

CREATE TABLE claims (
    id                 bigserial PRIMARY KEY,
    article_id         bigint NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    speaker_text       text,
    speaker_start      integer,
    speaker_end        integer,
    speaker_entity_id  bigint REFERENCES entities (id),
    speaker_label      text,
    cue                text NOT NULL,
    cue_start          integer NOT NULL,
    cue_end            integer NOT NULL,
    content            text NOT NULL,
    start_char         integer NOT NULL,
    end_char           integer NOT NULL,
    kind               text NOT NULL CHECK (kind IN ('direct', 'indirect')),
    polarity           text NOT NULL CHECK (polarity IN ('assert', 'deny')),
    sentence           text,
    extractor_version  text NOT NULL,
    run_id             text NOT NULL REFERENCES pipeline_runs (run_id),
    UNIQUE (article_id, start_char, end_char)
);
CREATE INDEX claims_speaker_entity_idx ON claims (speaker_entity_id);
CREATE INDEX claims_run_idx ON claims (run_id);
COMMENT ON TABLE claims IS 'Attributed statements: who (speaker) said what (content), introduced by which cue, with offsets into articles.full_text.';
COMMENT ON COLUMN claims.id IS 'Surrogate key.';
COMMENT ON COLUMN claims.article_id IS 'Article containing the claim.';
COMMENT ON COLUMN claims.speaker_text IS 'Speaker as written (a name, an organisation or a role such as "a military source"); for back-references, the earlier speaker.';
COMMENT ON COLUMN claims.speaker_start IS 'Speaker start offset into articles.full_text.';
COMMENT ON COLUMN claims.speaker_end IS 'Speaker end offset (exclusive).';
COMMENT ON COLUMN claims.speaker_entity_id IS 'Canonical entity of the speaker when it is a named person or organisation.';
COMMENT ON COLUMN claims.speaker_label IS 'PER, ORG, ROLE (speaker named only by a role) or NULL.';
COMMENT ON COLUMN claims.cue IS 'Reporting verb or attribution phrase (قال، أكد، بحسب، said, according to …).';
COMMENT ON COLUMN claims.cue_start IS 'Cue start offset.';
COMMENT ON COLUMN claims.cue_end IS 'Cue end offset (exclusive).';
COMMENT ON COLUMN claims.content IS 'What was claimed, as published (quotes excluded for direct speech).';
COMMENT ON COLUMN claims.start_char IS 'Content start offset into articles.full_text.';
COMMENT ON COLUMN claims.end_char IS 'Content end offset (exclusive).';
COMMENT ON COLUMN claims.kind IS 'direct (quoted) or indirect (reported).';
COMMENT ON COLUMN claims.polarity IS 'assert, or deny (the speaker denies the content).';
COMMENT ON COLUMN claims.sentence IS 'The sentence(s) around the claim, for reading in context.';
COMMENT ON COLUMN claims.extractor_version IS 'Claim extractor version (provenance).';
COMMENT ON COLUMN claims.run_id IS 'Run that produced the claim.';

CREATE TABLE claim_quantities (
    id          bigserial PRIMARY KEY,
    claim_id    bigint NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    value       numeric,
    text        text NOT NULL,
    category    text NOT NULL,
    qualifier   text,
    object      text,
    start_char  integer NOT NULL,
    end_char    integer NOT NULL,
    UNIQUE (claim_id, start_char)
);
COMMENT ON TABLE claim_quantities IS 'Numbers inside claims: value, what is counted, and how it is hedged.';
COMMENT ON COLUMN claim_quantities.id IS 'Surrogate key.';
COMMENT ON COLUMN claim_quantities.claim_id IS 'Claim containing the number.';
COMMENT ON COLUMN claim_quantities.value IS 'Numeric value (Eastern Arabic digits and number words resolved); NULL when vague.';
COMMENT ON COLUMN claim_quantities.text IS 'The quantity as published.';
COMMENT ON COLUMN claim_quantities.category IS 'killed, wounded, arrested, displaced, destroyed, money or other.';
COMMENT ON COLUMN claim_quantities.qualifier IS 'more than, about, at least, up to … (NULL when exact).';
COMMENT ON COLUMN claim_quantities.object IS 'What is counted, as written (e.g. مسلح, militants).';
COMMENT ON COLUMN claim_quantities.start_char IS 'Start offset into articles.full_text.';
COMMENT ON COLUMN claim_quantities.end_char IS 'End offset (exclusive).';

CREATE TABLE pipeline_errors (
    id           bigserial PRIMARY KEY,
    run_id       text NOT NULL REFERENCES pipeline_runs (run_id),
    stage        text NOT NULL,
    url          text,
    feed_id      integer REFERENCES feeds (id),
    article_id   bigint REFERENCES articles (id) ON DELETE CASCADE,
    error_class  text NOT NULL,
    reason       text NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (run_id, stage, url, article_id)
);
COMMENT ON TABLE pipeline_errors IS 'Recorded, non-fatal failures: which stage, which feed or URL, and why. The run went on.';
COMMENT ON COLUMN pipeline_errors.id IS 'Surrogate key.';
COMMENT ON COLUMN pipeline_errors.run_id IS 'Run in which it happened.';
COMMENT ON COLUMN pipeline_errors.stage IS 'Stage: fetch_feeds, fetch_pages, find_entities, find_claims, …';
COMMENT ON COLUMN pipeline_errors.url IS 'Feed or page URL concerned.';
COMMENT ON COLUMN pipeline_errors.feed_id IS 'Feed concerned, if any.';
COMMENT ON COLUMN pipeline_errors.article_id IS 'Article concerned, if any.';
COMMENT ON COLUMN pipeline_errors.error_class IS 'Error class (PermanentError subclass or exception type).';
COMMENT ON COLUMN pipeline_errors.reason IS 'Reason a person understands.';
COMMENT ON COLUMN pipeline_errors.at IS 'When it was recorded (latest occurrence).';
