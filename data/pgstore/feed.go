package pgstore

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgxlisten"

	"locatiedesk/data"
	"locatiedesk/data/storefeed"
)

// feedChannel is the NOTIFY channel every write signals on commit, with its
// sequence number as payload.
const feedChannel = "locatiedesk_changes"

// pollEvery is how often the follower reads the changes table even without
// a notification: a notification lost with a dropped connection is late by
// at most this much.
const pollEvery = time.Second

// follower publishes the changes of every write committed on the database,
// by this hub or another, in sequence order: it alone reads the changes
// table after the last number it published, woken by NOTIFY (pgxlisten, on a
// connection of its own that it re-opens when it drops), by this hub's own
// commits and by a timer.
type follower struct {
	storefeed.Feed
	pool   *pgxpool.Pool
	wakeCh chan struct{}
	cancel context.CancelFunc
	done   sync.WaitGroup
	last   uint64 // only the follow goroutine touches it after start
	// pruned is when old write keys were last removed (Unix seconds).
	pruned atomic.Int64
}

func follow(pool *pgxpool.Pool, connConfig *pgx.ConnConfig) (*follower, error) {
	ctx, cancel := context.WithCancel(context.Background())
	f := &follower{pool: pool, wakeCh: make(chan struct{}, 1), cancel: cancel}
	if err := pool.QueryRow(ctx, `SELECT last FROM feed_seq`).Scan(&f.last); err != nil {
		cancel()
		return nil, fmt.Errorf("read the change feed: %w", err)
	}
	listener := &pgxlisten.Listener{
		Connect: func(ctx context.Context) (*pgx.Conn, error) {
			return pgx.ConnectConfig(ctx, connConfig.Copy())
		},
		LogError: func(ctx context.Context, err error) {
			if ctx.Err() == nil {
				log.Printf("change feed: %v (reconnecting)", err)
			}
		},
		ReconnectDelay: 500 * time.Millisecond,
	}
	listener.Handle(feedChannel, wakeHandler{f})
	f.done.Add(2)
	go func() { defer f.done.Done(); listener.Listen(ctx) }()
	go func() { defer f.done.Done(); f.run(ctx) }()
	return f, nil
}

// wakeHandler wakes the follower on a notification, and on every
// (re)connect, when notifications may have been missed.
type wakeHandler struct{ f *follower }

func (h wakeHandler) HandleNotification(context.Context, *pgconn.Notification, *pgx.Conn) error {
	h.f.wake()
	return nil
}

func (h wakeHandler) HandleBacklog(context.Context, string, *pgx.Conn) error {
	h.f.wake()
	return nil
}

func (f *follower) wake() {
	select {
	case f.wakeCh <- struct{}{}:
	default:
	}
}

func (f *follower) run(ctx context.Context) {
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-f.wakeCh:
		case <-tick.C:
		}
		writes, err := loggedAfter(ctx, f.pool, f.last)
		if err != nil {
			if ctx.Err() == nil && !errors.Is(err, context.Canceled) {
				log.Printf("change feed: %v (trying again)", err)
			}
			continue
		}
		for _, w := range writes {
			f.Publish(w.Seq, w.Changes)
			f.last = w.Seq
		}
	}
}

func (f *follower) stop() {
	f.cancel()
	f.done.Wait()
}

// querier is what both a pool and a transaction answer.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// loggedAfter reads the writes logged after sequence number after, with
// their changes, in order. A write with no changes is still one write.
func loggedAfter(ctx context.Context, q querier, after uint64) ([]storefeed.Write, error) {
	rows, err := q.Query(ctx, `
		SELECT a.seq, c.kind, c.day, c.group_id, c.child_id, c.detail
		FROM audit_log a LEFT JOIN changes c ON c.seq = a.seq
		WHERE a.seq > $1 ORDER BY a.seq, c.position`, int64(after))
	if err != nil {
		return nil, fmt.Errorf("read the change feed: %w", err)
	}
	defer rows.Close()
	var out []storefeed.Write
	for rows.Next() {
		var seq int64
		var kind, detail *string
		var day data.Date
		var group, child *int64
		if err := rows.Scan(&seq, &kind, scanDate(&day), &group, &child, &detail); err != nil {
			return nil, fmt.Errorf("read the change feed: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Seq != uint64(seq) {
			out = append(out, storefeed.Write{Seq: uint64(seq)})
		}
		if kind == nil {
			continue
		}
		w := &out[len(out)-1]
		w.Changes = append(w.Changes, data.Change{Kind: data.ChangeKind(*kind), Date: day, GroupID: idOf(group), ChildID: idOf(child), Detail: deref(detail)})
	}
	return out, rows.Err()
}
