package pgstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"locatiedesk/data"
	"locatiedesk/data/storefeed"
)

// DB is the Locatiedesk store on a PostgreSQL database: an organisation's
// locations, served by one or more hubs on the same database.
type DB struct {
	pool *pgxpool.Pool
	now  func() time.Time
	feed *follower
	// actor is who writes through this handle (see As); nil for the trusted
	// local tools (command line, migration, tests), which act as the system.
	actor *data.Actor
}

// Option changes how Open sets up the store.
type Option func(*DB)

// WithClock makes the store read "now" (and so "today") from now; for tests.
func WithClock(now func() time.Time) Option { return func(db *DB) { db.now = now } }

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNewerSchema is a database whose schema a newer Locatiedesk made.
var ErrNewerSchema = errors.New("the database was set up by a newer Locatiedesk")

// Open connects to the database at address (postgres://…), brings its schema to
// this program's version and starts following the change feed. A database
// already on a newer schema is refused and left as it is.
func Open(ctx context.Context, address string, opts ...Option) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(address)
	if err != nil {
		return nil, fmt.Errorf("database address %q: %w", Redact(address), err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", Redact(address), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", Redact(address), err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	db := &DB{pool: pool, now: time.Now}
	for _, o := range opts {
		o(db)
	}
	if db.feed, err = follow(pool, cfg.ConnConfig); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// migrate applies the schema's migrations that the database lacks. Goose
// keeps the version in the database and, with its session lock, lets only
// one of several hubs starting at once apply them.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	sqlDB := stdlib.OpenDBFromPool(pool)
	defer sqlDB.Close()
	provider, err := newMigrations(sqlDB)
	if err != nil {
		return err
	}
	current, target, err := provider.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("read the database's schema version: %w", err)
	}
	if current > target {
		return fmt.Errorf("%w (schema %d, this program knows up to %d): update Locatiedesk on this computer", ErrNewerSchema, current, target)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("bring the database to schema %d: %w", target, err)
	}
	return nil
}

func newMigrations(sqlDB *sql.DB) (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	files, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, sqlDB, files,
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
}

// Close stops following the feed and closes the connections; calls after it fail.
func (db *DB) Close() error {
	db.feed.stop()
	db.pool.Close()
	return nil
}

// Today is the current date by the store's clock.
func (db *DB) Today() data.Date { return data.DateOf(db.now()) }

// Now is the current time by the store's clock.
func (db *DB) Now() time.Time { return db.now() }

// As returns a handle on the same store whose writes are made by a, checked
// against a's role inside each transaction and logged with a's name.
func (db *DB) As(a data.Actor) data.Store {
	bound := *db
	bound.actor = &a
	return &bound
}

// Subscribe calls fn with each change committed after sequence number after
// (data.FeedLive: from now on), by this hub or any other on the database, in
// order and once each, until ctx ends or cancel is called. fn runs on the
// feed's goroutine and must not block.
func (db *DB) Subscribe(ctx context.Context, after uint64, fn func(data.Change)) (cancel func(), err error) {
	if after == data.FeedLive {
		// From now on is after the last write committed on the database:
		// the follower may not have published it yet, and must not give it
		// to a subscriber that came after it.
		var last int64
		if err := db.pool.QueryRow(ctx, `SELECT last FROM feed_seq`).Scan(&last); err != nil {
			return nil, fmt.Errorf("read the change feed: %w", err)
		}
		after = uint64(last)
	}
	return db.feed.Subscribe(ctx, after, fn, func(after uint64) ([]storefeed.Write, error) {
		return loggedAfter(ctx, db.pool, after)
	})
}

var _ data.Store = (*DB)(nil)

// Redact is a database address fit for a message: without its password.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
