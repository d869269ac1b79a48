package pgstore

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"locatiedesk/data"
)

// maxAttempts bounds the retries of a write that lost a race with another
// write. Every write takes the next feed number last, so any two writes of
// the database that overlap in time race, and one runs again: a write waits
// its turn at most this many times, a few milliseconds each.
const maxAttempts = 50

// view runs fn in a read-only transaction on one snapshot, so a screen's
// list is read as of one moment even while other hubs write.
func (db *DB) view(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return pgx.BeginTxFunc(ctx, db.pool, viewOptions, fn)
}

var viewOptions = pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}

// viewBatch is view in one round trip, for a read that queue can put in one
// batch: the BEGIN of view's transaction, the queries queue adds and the
// COMMIT go to the server together, on one connection of the pool. A read
// through view costs at least three round trips (BEGIN, the reads, COMMIT);
// the server's work on a screen's list is a fraction of a millisecond, a round
// trip on a busy hub a millisecond or more. The queries' functions run as
// their results arrive, in order; the first error stops them.
//
// The queries run on generic plans: each is planned once on a connection
// and its plan kept, where by default the server plans it again at every
// call for its parameters' values, which for a list's queries took longer
// than running them. So queue only queries whose best plan is the same for
// every value of their parameters: lookups on an index by key.
func (db *DB) viewBatch(ctx context.Context, queue func(b *pgx.Batch)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b := &pgx.Batch{}
	b.BeginTx(viewOptions)
	b.Queue(`SET LOCAL plan_cache_mode = force_generic_plan`)
	queue(b)
	b.Queue(`COMMIT`)
	results := db.pool.SendBatch(ctx, b)
	err := results.Close()
	// After the COMMIT this only gives the connection back to the pool; a
	// query that failed on the server left the transaction open (the server
	// skips the rest of the batch, COMMIT too), and this ends it.
	_ = results.Tx().Rollback(ctx)
	return err
}

// update runs fn in one serializable transaction, appends one audit entry
// for it in that same transaction (who, when, action, what changed) with its
// changes and a NOTIFY, and commits. Serializable isolation makes every
// check-then-write rule race-free across hubs: of two writes that read what
// the other changes, one fails to commit and is run again from the start, so
// it sees the other's result. Nothing is logged or published for a write
// that fails. A write whose key (data.WriteKey) names one applied before
// runs nothing and fails with ErrAlreadyApplied.
func (db *DB) update(ctx context.Context, action string, fn func(tx pgx.Tx, changed *[]data.Change) error) error {
	return db.updateBatched(ctx, action, nil, func(tx pgx.Tx, changed *[]data.Change, _ *pgx.Batch) error { return fn(tx, changed) })
}

// updateBatched is update in fewer round trips, for the daily writes:
// reads, when given, queues the write's first reads, which go to the server
// with the transaction's BEGIN; fn runs on their results (they are filled
// in when it is called, afresh at every attempt) and queues the writes
// whose answers it needs no more in w, which go with the audit entry.
func (db *DB) updateBatched(ctx context.Context, action string, reads func(b *pgx.Batch), fn func(tx pgx.Tx, changed *[]data.Change, w *pgx.Batch) error) error {
	key, _ := data.WriteKey(ctx)
	if len(key) > data.MaxWriteKey {
		return data.Invalid("a write key is at most %d characters", data.MaxWriteKey)
	}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := db.attempt(ctx, action, key, reads, fn)
		if err == nil {
			db.feed.wake()
			db.pruneWriteKeys(ctx)
			return nil
		}
		if !retryable(err) || attempt == maxAttempts {
			return err
		}
		// Back off a little, at random, so two hubs do not collide again.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(rand.IntN(min(1<<attempt, 20))+1) * time.Millisecond):
		}
	}
}

// attempt is one run of updateBatched's transaction: BEGIN, the write key's
// check and the first reads in one round trip; fn; its queued writes, the
// audit entry and the key in one; COMMIT.
func (db *DB) attempt(ctx context.Context, action, key string, reads func(b *pgx.Batch), fn func(tx pgx.Tx, changed *[]data.Change, w *pgx.Batch) error) error {
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{IsoLevel: pgx.Serializable})
	applied := false
	if key != "" {
		b.Queue(`SELECT EXISTS (SELECT FROM write_keys WHERE key = $1 AND at >= $2)`, key, db.now().Add(-data.WriteKeyKept)).
			QueryRow(func(row pgx.Row) error { return row.Scan(&applied) })
	}
	if reads != nil {
		// The daily writes' reads are lookups by key, as viewBatch's are.
		b.Queue(`SET LOCAL plan_cache_mode = force_generic_plan`)
		reads(b)
	}
	results := db.pool.SendBatch(ctx, b)
	err := results.Close()
	tx := results.Tx()
	defer tx.Rollback(ctx) // after the COMMIT it only gives the connection back
	if err != nil {
		return err
	}
	if applied {
		return data.ErrAlreadyApplied
	}
	var changes []data.Change
	w := &pgx.Batch{}
	if err := fn(tx, &changes, w); err != nil {
		return err
	}
	e := db.auditEntry(action, changes)
	queueAudit(w, e)
	if key != "" {
		w.Queue(`INSERT INTO write_keys (key, seq, at) SELECT $1, last, $2 FROM feed_seq
			ON CONFLICT (key) DO UPDATE SET seq = excluded.seq, at = excluded.at`, key, e.At)
	}
	if err := tx.SendBatch(ctx, w).Close(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return tx.Commit(ctx)
}

// retryable is a transaction that lost a race and may simply run again:
// a serialization failure or a deadlock.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40001" || pgErr.Code == "40P01")
}

func (db *DB) auditEntry(action string, changes []data.Change) data.AuditEntry {
	return data.NewAuditEntry(db.actor, db.now(), action, changes)
}

// appendAudit logs e under the next sequence number and returns it; see
// queueAudit.
func appendAudit(ctx context.Context, tx pgx.Tx, e data.AuditEntry) (uint64, error) {
	b := &pgx.Batch{}
	seq := queueAudit(b, e)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, fmt.Errorf("log the write: %w", err)
	}
	return *seq, nil
}

// queueAudit queues logging e under the next sequence number, which it
// takes last: the lock on feed_seq is held only from here to the commit,
// and makes the numbers rise in commit order on every hub of the database.
// Numbering, entry, changes and NOTIFY are one statement. The number is in
// *seq once b has been sent.
func queueAudit(b *pgx.Batch, e data.AuditEntry) *uint64 {
	n := len(e.Changes)
	kinds, days, groups, children, details := make([]string, n), make([]pgtype.Date, n), make([]*int64, n), make([]*int64, n), make([]string, n)
	for i, c := range e.Changes {
		kinds[i], days[i], groups[i], children[i], details[i] = string(c.Kind), dateArg(c.Date), idArg(c.GroupID), idArg(c.ChildID), c.Detail
	}
	seq := new(uint64)
	// One INSERT over arrays, not COPY: COPY is refused on tables under
	// row-level security, as changes is for a location's role.
	b.Queue(`WITH next AS (UPDATE feed_seq SET last = last + 1 RETURNING last),
		entry AS (INSERT INTO audit_log (seq, at, user_id, who, device, action, detail)
			SELECT last, $1, $2, $3, $4, $5, $6 FROM next),
		changed AS (INSERT INTO changes (seq, position, kind, day, group_id, child_id, detail)
			SELECT next.last, c.position - 1, c.kind, c.day, c.group_id, c.child_id, c.detail
			FROM next, unnest($7::text[], $8::date[], $9::bigint[], $10::bigint[], $11::text[])
				WITH ORDINALITY AS c(kind, day, group_id, child_id, detail, position))
		SELECT last, pg_notify($12, last::text) FROM next`,
		e.At, idArg(e.UserID), e.Who, e.Device, e.Action, e.Detail, kinds, days, groups, children, details, feedChannel).
		QueryRow(func(row pgx.Row) error {
			var last int64
			err := row.Scan(&last, nil)
			*seq = uint64(last)
			return err
		})
	return seq
}

// pruneWriteKeys removes the keys older than data.WriteKeyKept, at most once
// a minute and outside the writes' transactions, so that no two writes
// conflict over the range it deletes.
func (db *DB) pruneWriteKeys(ctx context.Context) {
	now := time.Now()
	last := db.feed.pruned.Load()
	if now.Unix()-last < 60 || !db.feed.pruned.CompareAndSwap(last, now.Unix()) {
		return
	}
	if _, err := db.pool.Exec(ctx, `DELETE FROM write_keys WHERE at < $1`, db.now().Add(-data.WriteKeyKept)); err != nil {
		log.Printf("forget old write keys: %v", err)
	}
}

// WriteApplied reports whether the write key names a write the database
// holds. The hub asks it before a keyed write runs: a method's checks made
// before its transaction (today's date, a time not yet passed) would
// otherwise refuse the retry of a write they let through the first time.
func (db *DB) WriteApplied(ctx context.Context, key string) (bool, error) {
	var applied bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM write_keys WHERE key = $1 AND at >= $2)`, key, db.now().Add(-data.WriteKeyKept)).Scan(&applied)
	return applied, err
}

// withoutWriteKey is ctx for a write that is not the one its caller named:
// bookkeeping a read does and the sign-ins, whose answer only a run can give.
func withoutWriteKey(ctx context.Context) context.Context {
	if _, ok := data.WriteKey(ctx); !ok {
		return ctx
	}
	return data.WithWriteKey(ctx, "")
}
