package pgstore_test

// The PostgreSQL store's speed suite (PERFORMANCE.md), beside the bbolt
// store's (data/boltstore/scale_bench_test.go): the daily actions and a
// month's invoicing, on the same generated organisations moved into
// PostgreSQL. Each iteration runs, in turn, the store's action, its bare
// floor (plain SQL through pgx on the same tables and rows: no rules, no
// decoding into the domain's types, no audit) and the bbolt store's same
// action on the generated file, so noise from other processes falls on all
// three alike. It reports the PostgreSQL store's time as ns/op, the floor as
// bare-ns/op, their ratio, and the bbolt store's time as bolt-ns/op.

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
	"locatiedesk/data/benchtest"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/boltstore/generate"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
)

// benchSchema changes when what a scale's database holds changes other
// than through the generator or the schema: the way it is filled.
const benchSchema = 1

// scaleDatabase is the name of the scale's database on the test cluster:
// its generated file moved into PostgreSQL, made once and kept between
// runs. Its name holds a digest of the generator's version, both stores'
// schemas and the options, so a change to any of them makes it again (and
// drops the scale's older one).
func scaleDatabase(b *testing.B, s benchtest.Scale) string {
	b.Helper()
	cluster := pgtest.Cluster(b)
	file := benchtest.File(b, s)
	h := sha256.New()
	fmt.Fprintf(h, "%d %s %s\n", benchSchema, generate.Version, filepath.Base(file))
	schema, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(schema) == 0 {
		b.Fatalf("the schema's migrations: %v", err)
	}
	for _, path := range schema {
		f, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		h.Write(f)
	}
	prefix := fmt.Sprintf("bench_loc%d_y%d_", s.Locations, s.Years)
	name := fmt.Sprintf("%s%x", prefix, h.Sum(nil)[:6])

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, cluster)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var have []string
	rows, _ := conn.Query(ctx, `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, prefix)
	if have, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		b.Fatal(err)
	}
	if slices.Contains(have, name) {
		return name
	}
	for _, old := range have { // another version's, or one left half made
		pgtest.Drop(b, cluster, old)
	}
	partial := name + "_partial"
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+partial); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := moveIntoDatabase(ctx, file, pgtest.WithDatabase(b, cluster, partial)); err != nil {
		b.Fatalf("move %s into PostgreSQL: %v", s, err)
	}
	// Fresh statistics, as a database in use has: without them the
	// planner guesses.
	analyse, err := pgx.Connect(ctx, pgtest.WithDatabase(b, cluster, partial))
	if err != nil {
		b.Fatal(err)
	}
	_, err = analyse.Exec(ctx, `VACUUM (ANALYZE)`)
	analyse.Close(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `ALTER DATABASE `+partial+` RENAME TO `+name); err != nil {
		b.Fatal(err)
	}
	var size string
	conn.QueryRow(ctx, `SELECT pg_size_pretty(pg_database_size($1))`, name).Scan(&size)
	b.Logf("%s moved into PostgreSQL in %v, %s", s, time.Since(start).Round(time.Millisecond), size)
	return name
}

// moveIntoDatabase moves the organisation of the bbolt file at path into
// the empty database at address, as `locatiedesk migrate` does.
func moveIntoDatabase(ctx context.Context, path, address string) error {
	src, err := boltstore.OpenExisting(path)
	if err != nil {
		return err
	}
	snap, err := src.Snapshot(ctx)
	src.Close()
	if err != nil {
		return err
	}
	db, err := pgstore.Open(ctx, address)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Load(ctx, snap, filepath.Base(path))
	return err
}

// scaleCopy is a copy of the scale's database for a benchmark that writes,
// dropped when it ends, with tables of the same shape as the store's for
// the bare floor's writes (the store must not read them).
func scaleCopy(b *testing.B, s benchtest.Scale) string {
	b.Helper()
	cluster, source := pgtest.Cluster(b), scaleDatabase(b, s)
	name := fmt.Sprintf("bench_copy_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, cluster)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	// A file copy: quicker than the default for a large database, and the
	// source is not written meanwhile.
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE `+source+` STRATEGY FILE_COPY`); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { pgtest.Drop(b, cluster, name) })
	address := pgtest.WithDatabase(b, cluster, name)
	bare, err := pgx.Connect(ctx, address)
	if err != nil {
		b.Fatal(err)
	}
	defer bare.Close(ctx)
	_, err = bare.Exec(ctx, `
		CREATE TABLE bare_log (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL,
			who text NOT NULL, action text NOT NULL, detail text NOT NULL DEFAULT '');
		CREATE TABLE bare_requests (LIKE requests INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING INDEXES);
		CREATE TABLE bare_extras (LIKE extras INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`)
	if err != nil {
		b.Fatal(err)
	}
	return address
}

func openPG(b *testing.B, address string) *pgstore.DB {
	b.Helper()
	db, err := pgstore.Open(b.Context(), address, pgstore.WithClock(func() time.Time { return benchtest.Now }))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// openBare is the floor's own connection: no pool, no store.
func openBare(b *testing.B, address string) *pgx.Conn {
	b.Helper()
	conn, err := pgx.Connect(b.Context(), address)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// openBolt opens the bbolt store on path (the generated file, or a copy of
// it for a benchmark that writes).
func openBolt(b *testing.B, path string) *boltstore.DB {
	b.Helper()
	db, err := boltstore.Open(path, boltstore.WithClock(func() time.Time { return benchtest.Now }))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// versus times the PostgreSQL store's action, its bare floor and the bbolt
// store's action in turn (ns/op, bare-ns/op, their ratio, bolt-ns/op; see
// benchtest.Versus). A first turn, untimed, prepares every statement on the
// connections that run them.
func versus(b *testing.B, rows int, store, bare, bolt func(i int), after ...func(i int)) {
	b.Helper()
	for _, f := range append([]func(int){store, bare, bolt}, after...) {
		f(0)
	}
	benchtest.Versus(b, rows, []benchtest.Turn{{Unit: "ns/op", Run: store}, {Unit: "bare-ns/op", Run: bare}, {Unit: "bolt-ns/op", Run: bolt}}, after...)
}

// A query is one statement of a bare floor.
type query struct {
	sql  string
	args []any
}

// sqlBatch is the floor's reads: every query in one round trip (a batch
// runs as one implicit transaction), each row read to the last byte. It
// returns the bytes read, so nothing is skipped, and fails on none.
func sqlBatch(b *testing.B, conn interface {
	SendBatch(context.Context, *pgx.Batch) pgx.BatchResults
}, queries []query) int {
	batch := &pgx.Batch{}
	for _, q := range queries {
		batch.Queue(q.sql, q.args...)
	}
	results := conn.SendBatch(b.Context(), batch)
	n := 0
	for range queries {
		rows, err := results.Query()
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			for _, v := range rows.RawValues() {
				n += len(v) + 1
			}
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
	}
	if err := results.Close(); err != nil {
		b.Fatal(err)
	}
	if n == 0 {
		b.Fatal("the bare read found nothing")
	}
	return n
}

// bareWrite is a floor's write: one serializable transaction (as the
// store's) that reads in one round trip and writes in one.
func bareWrite(b *testing.B, conn *pgx.Conn, reads, writes []query) {
	ctx := b.Context()
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if len(reads) > 0 {
		sqlBatch(b, tx, reads)
	}
	batch := &pgx.Batch{}
	for _, q := range writes {
		batch.Queue(q.sql, q.args...)
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		b.Fatal(err)
	}
}

func ids(list []data.ID) []int64 {
	out := make([]int64, len(list))
	for i, id := range list {
		out[i] = int64(id)
	}
	return out
}

// dayQueries are the SELECTs a group's list of a day is built from: the
// group and settings, the running contracts, the day's extras and records,
// the children on the list with their consent answers, the closing day,
// and the study days and holidays of the children's schools.
func dayQueries(list data.DayList) []query {
	var children, schools []data.ID
	for _, r := range list.Rows {
		children = append(children, r.Child.ID)
		if r.Child.SchoolID != 0 && !slices.Contains(schools, r.Child.SchoolID) {
			schools = append(schools, r.Child.SchoolID)
		}
	}
	group, day := int64(list.Group.ID), list.Date.String()
	return []query{
		{`SELECT * FROM groups WHERE id = $1`, []any{group}},
		{`SELECT settings FROM organisation`, nil},
		{`SELECT * FROM contracts WHERE group_id = $1 AND start_day <= $2 AND (end_day IS NULL OR end_day >= $2)`, []any{group, day}},
		{`SELECT * FROM extras WHERE day = $2 AND group_id = $1`, []any{group, day}},
		{`SELECT * FROM attendance WHERE day = $2 AND group_id = $1`, []any{group, day}},
		{`SELECT * FROM children WHERE id = ANY($1)`, []any{ids(children)}},
		{`SELECT DISTINCT ON (child_id) child_id, level FROM consent_changes WHERE child_id = ANY($1) ORDER BY child_id, given DESC, seq DESC`, []any{ids(children)}},
		{`SELECT * FROM closing_days WHERE day = $1`, []any{day}},
		{`SELECT * FROM study_days WHERE school_id = ANY($1) AND day = $2`, []any{ids(schools), day}},
		{`SELECT * FROM school_holidays WHERE school_id = ANY($1) AND first_day <= $2 AND last_day >= $2`, []any{ids(schools), day}},
	}
}

// busiestList is today's list of the group of location 1 with the most children.
func busiestList(b *testing.B, st data.Store) data.DayList {
	b.Helper()
	groups, err := st.Groups(b.Context(), 1)
	if err != nil {
		b.Fatal(err)
	}
	var best data.DayList
	for _, g := range groups {
		list, err := st.DayList(b.Context(), g.ID, benchtest.Today)
		if err != nil {
			b.Fatal(err)
		}
		if len(list.Rows) > len(best.Rows) {
			best = list
		}
	}
	return best
}

// sameList fails unless the two stores show the same list: the figures
// compare the same work only if the move kept the organisation as it was.
func sameList(b *testing.B, pg, bolt data.DayList) {
	b.Helper()
	if pg.Group.ID != bolt.Group.ID || len(pg.Rows) != len(bolt.Rows) {
		b.Fatalf("PostgreSQL shows group %d with %d rows, bbolt group %d with %d", pg.Group.ID, len(pg.Rows), bolt.Group.ID, len(bolt.Rows))
	}
}

// BenchmarkDayList is one group's list of the day, the busiest of location
// 1 with the morning's check-ins (daily).
func BenchmarkDayList(b *testing.B) {
	for _, s := range benchtest.Scales() {
		b.Run(s.String(), func(b *testing.B) {
			address := pgtest.WithDatabase(b, pgtest.Cluster(b), scaleDatabase(b, s))
			pg, bare, bolt := openPG(b, address), openBare(b, address), openBolt(b, benchtest.File(b, s))
			list := busiestList(b, pg)
			sameList(b, list, busiestList(b, bolt))
			queries := dayQueries(list)
			versus(b, len(list.Rows), func(int) {
				if _, err := pg.DayList(b.Context(), list.Group.ID, list.Date); err != nil {
					b.Fatal(err)
				}
			}, func(int) { sqlBatch(b, bare, queries) }, func(int) {
				if _, err := bolt.DayList(b.Context(), list.Group.ID, list.Date); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkCheckIn is one check-in on today's list (daily): rule checks,
// one transaction, the audit entry and the change feed. Its floor reads
// the child's rows and updates the record, with a row in a log, in one
// transaction.
func BenchmarkCheckIn(b *testing.B) {
	for _, s := range benchtest.Scales() {
		b.Run(s.String(), func(b *testing.B) {
			address := scaleCopy(b, s)
			pg, bare, bolt := openPG(b, address), openBare(b, address), openBolt(b, benchtest.FileCopy(b, s))
			list := busiestList(b, pg)
			sameList(b, list, busiestList(b, bolt))
			i := slices.IndexFunc(list.Rows, func(r data.DayRow) bool { return r.Attendance.Status() == data.StatusToCome })
			if i < 0 {
				b.Fatalf("nobody to come on the list of %s", list.Group.Name)
			}
			child := list.Rows[i].Child
			edit := data.DayEdit{Date: list.Date, GroupID: list.Group.ID, ChildID: child.ID, By: "bench"}
			at := data.ClockOf(benchtest.Now)
			for _, st := range []data.Store{pg, bolt} {
				if err := st.CheckIn(b.Context(), edit, at); err != nil {
					b.Fatal(err)
				}
				if _, err := st.Subscribe(b.Context(), data.FeedLive, func(data.Change) {}); err != nil {
					b.Fatal(err)
				}
			}
			group, childID, day := int64(list.Group.ID), int64(child.ID), list.Date.String()
			reads := []query{
				{`SELECT *, (SELECT settings FROM organisation) FROM groups WHERE id = $1`, []any{group}},
				{`SELECT * FROM children WHERE id = $1`, []any{childID}},
				{`SELECT * FROM contracts WHERE child_id = $1 AND start_day <= $2 AND (end_day IS NULL OR end_day >= $2)`, []any{childID, day}},
				{`SELECT * FROM extras WHERE day = $1 AND group_id = $2 AND child_id = $3`, []any{day, group, childID}},
				{`SELECT * FROM attendance WHERE day = $1 AND group_id = $2 AND child_id = $3`, []any{day, group, childID}},
				{`SELECT * FROM closing_days WHERE day = $1`, []any{day}},
			}
			writes := []query{
				{`UPDATE attendance SET check_in = $4, updated_by = 'bench', updated_at = $5 WHERE day = $1 AND group_id = $2 AND child_id = $3`,
					[]any{day, group, childID, int16(at), benchtest.Now}},
				{`INSERT INTO bare_log (at, who, action, detail) VALUES ($1, 'bench', $2, $3)`, []any{benchtest.Now, data.AuditCheckIn, "checked in 09:30 → checked in 09:30"}},
			}
			versus(b, 1, func(int) {
				if err := pg.CheckIn(b.Context(), edit, at); err != nil {
					b.Fatal(err)
				}
			}, func(int) { bareWrite(b, bare, reads, writes) }, func(int) {
				if err := bolt.CheckIn(b.Context(), edit, at); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkRequest is a request from the group (daily): the payment
// proposal the form shows, submitting it (credit reserved) and approving it
// (credit spent, the child on the list). Its floor reads what the proposal
// reads (the day's list, the child's contracts, live credit and requests
// of the day) and writes the same rows in two transactions: the request
// and its credit entries, then the request, its credit entries and the
// extra, each with a row in a log; the request and extra go to tables of
// their own of the same shape. Each request is cancelled afterwards,
// untimed, so the ledger stays as it was.
func BenchmarkRequest(b *testing.B) {
	for _, s := range benchtest.Scales() {
		b.Run(s.String(), func(b *testing.B) {
			address := scaleCopy(b, s)
			pg, bare, bolt := openPG(b, address), openBare(b, address), openBolt(b, benchtest.FileCopy(b, s))
			drafts := requestDrafts(b, pg)
			if boltDrafts := requestDrafts(b, bolt); len(boltDrafts) != len(drafts) {
				b.Fatalf("PostgreSQL has %d requests to make, bbolt %d", len(drafts), len(boltDrafts))
			}
			for _, st := range []data.Store{pg, bolt} {
				if _, err := st.Subscribe(b.Context(), data.FeedLive, func(data.Change) {}); err != nil {
					b.Fatal(err)
				}
			}
			floor := bareRequest(b, pg, bare, drafts)
			request := func(st data.Store, d data.RequestDraft) data.ID {
				p, err := st.PreviewRequest(b.Context(), d)
				if err != nil || p.Problem != nil {
					b.Fatalf("preview: %v / %v", err, p.Problem)
				}
				r, err := st.SubmitRequest(b.Context(), d, p.Proposal.Payment)
				if err != nil {
					b.Fatal(err)
				}
				if err := st.ApproveRequest(b.Context(), r.ID, "bench"); err != nil {
					b.Fatal(err)
				}
				return r.ID
			}
			var pgMade, boltMade data.ID
			versus(b, 1, func(i int) { pgMade = request(pg, drafts[i%len(drafts)]) }, floor,
				func(i int) { boltMade = request(bolt, drafts[i%len(drafts)]) },
				func(int) {
					if err := pg.CancelRequest(b.Context(), pgMade, "bench", "reset"); err != nil {
						b.Fatal(err)
					}
					if err := bolt.CancelRequest(b.Context(), boltMade, "bench", "reset"); err != nil {
						b.Fatal(err)
					}
				})
		})
	}
}

// requestDrafts are the requests a daycare group of location 1 can make
// today and in the next three days: children with a contract there who
// are not expected that day and have no request for it yet.
func requestDrafts(b *testing.B, st data.Store) []data.RequestDraft {
	b.Helper()
	groups, err := st.Groups(b.Context(), 1)
	if err != nil {
		b.Fatal(err)
	}
	var drafts []data.RequestDraft
	for _, g := range groups {
		if g.Care != data.KDV {
			continue
		}
		for ahead := range 4 {
			day := benchtest.Today.AddDays(ahead)
			children, err := st.RequestChildren(b.Context(), g.ID, day)
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range children {
				d := data.RequestDraft{ChildID: c.ID, GroupID: g.ID, Date: day, Product: data.ProductKDV, OverCapacity: true,
					Times: data.TimeRange{From: data.NewClock(13, 0), Until: data.NewClock(18, 0)}, Channel: data.ChannelGroup, By: "bench"}
				if p, err := st.PreviewRequest(b.Context(), d); err == nil && p.Problem == nil {
					drafts = append(drafts, d)
				}
			}
		}
	}
	if len(drafts) == 0 {
		b.Fatal("no child to request extra care for")
	}
	return drafts
}

// bareRequest returns the floor of one request.
func bareRequest(b *testing.B, pg *pgstore.DB, conn *pgx.Conn, drafts []data.RequestDraft) func(i int) {
	b.Helper()
	type floor struct{ reads, submit, approve []query }
	floors := make([]floor, len(drafts))
	for i, d := range drafts {
		list, err := pg.DayList(b.Context(), d.GroupID, d.Date)
		if err != nil {
			b.Fatal(err)
		}
		p, err := pg.PreviewRequest(b.Context(), d)
		if err != nil {
			b.Fatal(err)
		}
		var entries []data.ID
		for _, a := range p.Proposal.Payment.Allocations {
			entries = append(entries, a.EntryID)
		}
		child, group, day := int64(d.ChildID), int64(d.GroupID), d.Date.String()
		reads := append(dayQueries(list),
			query{`SELECT * FROM children WHERE id = $1`, []any{child}},
			query{`SELECT * FROM contracts WHERE child_id = $1 AND start_day <= $2 AND (end_day IS NULL OR end_day >= $2)`, []any{child, day}},
			query{`SELECT * FROM credit_entries WHERE child_id = $1 AND expires_on >= $2`, []any{child, benchtest.Today.String()}},
			query{`SELECT * FROM requests WHERE child_id = $1 AND day = $2`, []any{child, day}})
		log := func(action string) query {
			return query{`INSERT INTO bare_log (at, who, action, detail) VALUES ($1, 'bench', $2, 'request')`, []any{benchtest.Now, action}}
		}
		floors[i] = floor{reads: reads,
			submit: []query{
				{`INSERT INTO bare_requests (child_id, group_id, day, from_min, until_min, product, channel, requested_by, over_capacity, submitted_at, payment, status)
					VALUES ($1, $2, $3, $4, $5, $6, $7, 'bench', true, $8, $9, 'open')`,
					[]any{child, group, day, int16(d.Times.From), int16(d.Times.Until), string(d.Product), string(d.Channel), benchtest.Now, p.Proposal.Payment}},
				{`UPDATE credit_entries SET reserved = reserved WHERE id = ANY($1)`, []any{ids(entries)}},
				log(data.AuditSubmitRequest),
			},
			approve: []query{
				{`UPDATE bare_requests SET status = 'approved', decided_by = 'bench', decided_at = $3 WHERE id = (SELECT max(id) FROM bare_requests WHERE child_id = $1 AND day = $2)`,
					[]any{child, day, benchtest.Now}},
				{`UPDATE credit_entries SET spent = spent WHERE id = ANY($1)`, []any{ids(entries)}},
				{`INSERT INTO bare_extras (day, group_id, child_id, from_min, until_min, source) VALUES ($1, $2, $3, $4, $5, 'request')
					ON CONFLICT (day, group_id, child_id) DO UPDATE SET from_min = excluded.from_min`,
					[]any{day, group, child, int16(d.Times.From), int16(d.Times.Until)}},
				log(data.AuditApproveRequest),
			}}
	}
	return func(i int) {
		f := floors[i%len(floors)]
		sqlBatch(b, conn, f.reads)
		bareWrite(b, conn, nil, f.submit)
		bareWrite(b, conn, nil, f.approve)
	}
}

// BenchmarkApprovalsQueue is the queue of open requests of the group of
// location 1 with the most of them (daily). Its floor reads the open
// requests, the group and their children, and for each day in the queue
// the rows of that day's list (for the occupancy).
func BenchmarkApprovalsQueue(b *testing.B) {
	for _, s := range benchtest.Scales() {
		b.Run(s.String(), func(b *testing.B) {
			address := pgtest.WithDatabase(b, pgtest.Cluster(b), scaleDatabase(b, s))
			pg, bare, bolt := openPG(b, address), openBare(b, address), openBolt(b, benchtest.File(b, s))
			counts, err := pg.OpenRequestCounts(b.Context(), 1)
			if err != nil {
				b.Fatal(err)
			}
			var group data.ID
			for g, n := range counts {
				if n > counts[group] || (n == counts[group] && g < group) {
					group = g
				}
			}
			items, err := pg.OpenRequests(b.Context(), group)
			if err != nil || len(items) == 0 {
				b.Fatalf("no open requests at location 1: %v", err)
			}
			if boltItems, err := bolt.OpenRequests(b.Context(), group); err != nil || len(boltItems) != len(items) {
				b.Fatalf("bbolt has %d open requests in group %d, PostgreSQL %d: %v", len(boltItems), group, len(items), err)
			}
			queries := []query{
				{`SELECT settings FROM organisation`, nil},
				{`SELECT * FROM requests WHERE group_id = $1 AND status = 'open' ORDER BY day, id`, []any{int64(group)}},
				{`SELECT * FROM groups WHERE id = $1`, []any{int64(group)}},
			}
			var children []data.ID
			days := map[data.Date]bool{}
			for _, it := range items {
				children = append(children, it.Child.ID)
				if !days[it.Request.Date] {
					days[it.Request.Date] = true
					list, err := pg.DayList(b.Context(), group, it.Request.Date)
					if err != nil {
						b.Fatal(err)
					}
					queries = append(queries, dayQueries(list)...)
				}
			}
			queries = append(queries, query{`SELECT * FROM children WHERE id = ANY($1)`, []any{ids(children)}})
			versus(b, len(items), func(int) {
				if _, err := pg.OpenRequests(b.Context(), group); err != nil {
					b.Fatal(err)
				}
			}, func(int) { sqlBatch(b, bare, queries) }, func(int) {
				if _, err := bolt.OpenRequests(b.Context(), group); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkMonthExport is the invoicing of location 1 for last month as
// the planner previews it before exporting (F1): every line the export
// would write, counted. (The export itself writes the same lines once;
// a second export of the month has nothing new, so the preview is what
// repeats.) Its floor reads the location's approved and exported requests
// of the month with their children, groups and location, its sign-ups
// with the study days and decisions, and what was exported of them.
func BenchmarkMonthExport(b *testing.B) {
	for _, s := range benchtest.Scales() {
		b.Run(s.String(), func(b *testing.B) {
			address := pgtest.WithDatabase(b, pgtest.Cluster(b), scaleDatabase(b, s))
			pg, bare, bolt := openPG(b, address), openBare(b, address), openBolt(b, benchtest.File(b, s))
			spec := data.InvoiceSpec{From: data.NewDate(2026, time.October, 1), To: data.NewDate(2026, time.October, 31), LocationID: 1, By: "bench"}
			sum, err := pg.PreviewInvoicing(b.Context(), spec, nil)
			if err != nil || sum.Lines == 0 {
				b.Fatalf("preview of %s–%s: %d lines, %v", spec.From, spec.To, sum.Lines, err)
			}
			if boltSum, err := bolt.PreviewInvoicing(b.Context(), spec, nil); err != nil || boltSum.Lines != sum.Lines {
				b.Fatalf("bbolt previews %d lines, PostgreSQL %d: %v", boltSum.Lines, sum.Lines, err)
			}
			from, to, loc := spec.From.String(), spec.To.String(), int64(spec.LocationID)
			queries := []query{
				{`SELECT settings FROM organisation`, nil},
				{`SELECT r.*, e.line, c.first_name, c.last_name, g.name, l.name
					FROM requests r JOIN groups g ON g.id = r.group_id JOIN locations l ON l.id = g.location_id JOIN children c ON c.id = r.child_id
					LEFT JOIN exported e ON e.source = 'request' AND e.source_id = r.id
					WHERE r.day BETWEEN $1 AND $2 AND g.location_id = $3 AND (r.status = 'approved' OR (r.status = 'cancelled' AND e.line IS NOT NULL))`,
					[]any{from, to, loc}},
				{`SELECT s.*, e.line, c.first_name, c.last_name, g.name
					FROM signups s JOIN groups g ON g.id = s.group_id JOIN children c ON c.id = s.child_id
					LEFT JOIN exported e ON e.source = 'study-day' AND e.source_id = s.id
					WHERE s.day BETWEEN $1 AND $2 AND g.location_id = $3`, []any{from, to, loc}},
				{`SELECT * FROM study_days WHERE day BETWEEN $1 AND $2`, []any{from, to}},
				{`SELECT * FROM study_day_decisions WHERE day BETWEEN $1 AND $2 AND location_id = $3`, []any{from, to, loc}},
			}
			versus(b, sum.Lines, func(int) {
				if _, err := pg.PreviewInvoicing(b.Context(), spec, nil); err != nil {
					b.Fatal(err)
				}
			}, func(int) { sqlBatch(b, bare, queries) }, func(int) {
				if _, err := bolt.PreviewInvoicing(b.Context(), spec, nil); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
