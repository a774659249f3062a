-- Users own tokens and applications; tokens are stored only as SHA-256 hashes.
create table users (
  id bigint generated always as identity primary key,
  name text not null unique,
  created_at timestamptz not null default now()
);

create table api_tokens (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  token_hash bytea not null unique,
  scopes text[] not null default '{}',
  label text not null default '',
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

-- array_to_string is only STABLE in general; on text[] it is immutable, which a generated column needs.
create function skills_text(skills text[]) returns text
  language sql immutable parallel safe
  return array_to_string(skills, ' ');

create table jobs (
  id bigint generated always as identity primary key,
  source text not null,
  external_id text not null,
  title text not null,
  company text not null,
  location text,
  remote boolean not null default false,
  seniority text check (seniority in ('intern', 'junior', 'mid', 'senior', 'lead', 'principal')),
  skills text[] not null default '{}',
  salary_min integer check (salary_min >= 0),
  salary_max integer check (salary_max >= 0),
  salary_currency text check (salary_currency ~ '^[A-Z]{3}$'),
  description text not null default '',
  source_url text,
  -- millisecond precision, so a keyset cursor carried through a JS Date compares exactly
  posted_at timestamptz(3) not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search tsvector generated always as (
    setweight(to_tsvector('english', title), 'A')
    || setweight(to_tsvector('english', company), 'B')
    || setweight(to_tsvector('english', skills_text(skills)), 'B')
    || setweight(to_tsvector('english', description), 'C')
  ) stored,
  unique (source, external_id),
  check (salary_min is null or salary_max is null or salary_min <= salary_max)
);

create index jobs_search_idx on jobs using gin (search);
create index jobs_posted_idx on jobs (posted_at desc, id desc);
create index jobs_skills_idx on jobs using gin (skills);

create table applications (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  job_id bigint not null references jobs (id),
  status text not null check (status in ('saved', 'applied', 'interviewing', 'offer', 'rejected', 'withdrawn')),
  notes text not null default '',
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, job_id)
);

create index applications_user_idx on applications (user_id, updated_at desc, id desc);

create table application_status_history (
  id bigint generated always as identity primary key,
  application_id bigint not null references applications (id) on delete cascade,
  from_status text,
  to_status text not null,
  note text not null default '',
  changed_at timestamptz not null default now()
);

create index application_status_history_app_idx on application_status_history (application_id, id);
