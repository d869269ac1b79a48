package pgstore

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"locatiedesk/data"
)

// roundTrips counts the round trips between the store and the server, at
// the socket: a connection that writes after it has read (or for the first
// time) sends a request and will wait for its answer.
type roundTrips struct{ n atomic.Int64 }

func (rt *roundTrips) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &countedConn{Conn: c, trips: &rt.n}, nil
}

// of is the number of round trips fn makes.
func (rt *roundTrips) of(fn func()) int64 {
	before := rt.n.Load()
	fn()
	return rt.n.Load() - before
}

type countedConn struct {
	net.Conn
	trips   *atomic.Int64
	sending atomic.Bool
}

func (c *countedConn) Write(p []byte) (int, error) {
	if !c.sending.Swap(true) {
		c.trips.Add(1)
	}
	return c.Conn.Write(p)
}

func (c *countedConn) Read(p []byte) (int, error) {
	c.sending.Store(false)
	return c.Conn.Read(p)
}

// countedStore is the fixture's store on a pool of one connection whose
// round trips are counted, for reads and writes. The pool's liveness ping of a connection idle
// for a second is the pool's, not a read's, and left out.
func countedStore(t *testing.T, f listFixture) (*DB, *roundTrips) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(f.address)
	if err != nil {
		t.Fatal(err)
	}
	rt := &roundTrips{}
	cfg.MaxConns = 1
	cfg.ShouldPing = func(context.Context, pgxpool.ShouldPingParams) bool { return false }
	cfg.ConnConfig.DialFunc = rt.dial
	pool, err := pgxpool.NewWithConfig(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	// A follower that is not started: writes wake it, nothing reads the feed.
	unstarted := &follower{wakeCh: make(chan struct{}, 1)}
	unstarted.pruned.Store(time.Now().Unix()) // no pruning round trips among the counted
	return &DB{pool: pool, now: func() time.Time { return f.now }, feed: unstarted}, rt
}

// TestDayList_OneRoundTrip: a group's list of a day, with its snapshot, is
// one round trip to the server, its children's school calendar included;
// inside a transaction the list and one child's row are one each. (The
// first read on a connection also prepares its statements: one more.)
func TestDayList_OneRoundTrip(t *testing.T) {
	f := newListFixture(t)
	db, rt := countedStore(t, f)
	ctx := t.Context()
	// A school day, the study day of Gijs's school (and his extra), a
	// holiday of Eva's and Finn's school, the closing day.
	days := []data.Date{data.NewDate(2026, time.March, 10), data.NewDate(2026, time.March, 12), data.NewDate(2026, time.March, 16), data.NewDate(2026, time.March, 25)}
	for _, g := range []data.Group{f.kdv, f.bso} {
		for _, d := range days {
			var list data.DayList
			var err error
			db.DayList(ctx, g.ID, d) // prepares
			if n := rt.of(func() { list, err = db.DayList(ctx, g.ID, d) }); err != nil || n != 1 {
				t.Errorf("the list of %s on %s took %d round trips: %v", g.Name, d, n, err)
			}
			if g.Care == data.BSO && !list.Closed && len(list.Rows) == 0 {
				t.Errorf("the list of %s on %s is empty", g.Name, d)
			}
		}
	}

	err := db.view(ctx, func(tx pgx.Tx) error {
		d := days[1]
		readDayList(ctx, tx, f.bso.ID, d)
		readChildRow(ctx, tx, f.bso.ID, f.children[4].ID, d)
		var err error
		if n := rt.of(func() { _, err = readDayList(ctx, tx, f.bso.ID, d) }); err != nil || n != 1 {
			t.Errorf("the list in a transaction took %d round trips: %v", n, err)
		}
		if n := rt.of(func() { _, err = readChildRow(ctx, tx, f.bso.ID, f.children[4].ID, d) }); err != nil || n != 1 {
			t.Errorf("a child's row in a transaction took %d round trips: %v", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOpenRequests_OneRoundTrip: a group's approval queue is one round trip
// whatever the days of its requests, and each day's occupancy is that of
// the day's list: on a school day, a study day and a holiday, with a child
// not on the list of the day of her request.
func TestOpenRequests_OneRoundTrip(t *testing.T) {
	f := newListFixture(t)
	db, rt := countedStore(t, f)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, f.address)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	anna, eva, gijs := f.children[0], f.children[2], f.children[4]
	_, err = conn.Exec(ctx, `INSERT INTO requests (child_id, group_id, day, from_min, until_min, product, channel, requested_by, submitted_at, status) VALUES
		($1, $4, '2026-03-16', 900, 1110, 'bso-holiday', 'group', 'test', now(), 'open'),
		($2, $4, '2026-03-12', 900, 1110, 'bso-school-day', 'group', 'test', now(), 'open'),
		($3, $4, '2026-03-12', 900, 1110, 'study-day', 'group', 'test', now(), 'open'),
		($3, $4, '2026-03-13', 900, 1110, 'bso-school-day', 'group', 'test', now(), 'rejected')`,
		int64(eva.ID), int64(anna.ID), int64(gijs.ID), int64(f.bso.ID))
	if err != nil {
		t.Fatal(err)
	}

	var queue []data.QueueItem
	db.OpenRequests(ctx, f.bso.ID) // prepares
	if n := rt.of(func() { queue, err = db.OpenRequests(ctx, f.bso.ID) }); err != nil || n != 1 {
		t.Errorf("the queue took %d round trips: %v", n, err)
	}
	want := []data.Child{anna, gijs, eva}
	if len(queue) != len(want) {
		t.Fatalf("queue of %d requests, want %d: %+v", len(queue), len(want), queue)
	}
	occupied := 0
	for i, it := range queue {
		list, err := db.DayList(ctx, f.bso.ID, it.Request.Date)
		if err != nil {
			t.Fatal(err)
		}
		if it.Child.ID != want[i].ID || it.Occupancy != list.Occupancy() || it.Capacity != f.bso.Capacity {
			t.Errorf("item %d: %s on %s with occupancy %d of %d; want %s, the list's %d of %d",
				i, it.Child.FirstName, it.Request.Date, it.Occupancy, it.Capacity, want[i].FirstName, list.Occupancy(), f.bso.Capacity)
		}
		occupied += it.Occupancy
	}
	if occupied == 0 {
		t.Error("no day of the queue has anyone on its list")
	}

	for _, group := range []data.ID{f.kdv.ID, 999} { // no requests; no such group
		if queue, err := db.OpenRequests(ctx, group); len(queue) != 0 || err != nil {
			t.Errorf("the queue of group %d: %+v, %v", group, queue, err)
		}
	}
}

// TestRequest_RoundTrips: a request from the group paid from two credit
// entries is its preview in one round trip, submitting in four (BEGIN with
// the draft's facts; the credit and the request; the audit entry; COMMIT)
// and approving in three (BEGIN with the request, the child's row and the
// credit; the writes with the audit entry; COMMIT), whatever the number of
// entries the payment uses; and the credit moves as it should. The month's
// invoicing preview is one round trip.
func TestRequest_RoundTrips(t *testing.T) {
	f := newListFixture(t)
	db, rt := countedStore(t, f)
	ctx := t.Context()
	bram := f.children[1]
	conn, err := pgx.Connect(ctx, f.address)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `INSERT INTO credit_entries (child_id, origin, product, group_id, minutes, earned_on, expires_on) VALUES
		($1, 'kdv-day', 'kdv', $2, 120, '2026-03-03', '2026-06-01'), ($1, 'kdv-day', 'kdv', $2, 120, '2026-03-05', '2026-06-03')`,
		int64(bram.ID), int64(f.kdv.ID))
	if err != nil {
		t.Fatal(err)
	}
	friday := data.NewDate(2026, time.March, 13) // not one of Bram's days
	d := data.RequestDraft{ChildID: bram.ID, GroupID: f.kdv.ID, Date: friday, Product: data.ProductKDV, OverCapacity: true,
		Times: data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(13, 0)}, Channel: data.ChannelGroup, By: "Tess"}
	request := func() (preview, submit, approve int64, r data.Request) {
		t.Helper()
		var p data.RequestPreview
		var err error
		preview = rt.of(func() { p, err = db.PreviewRequest(ctx, d) })
		if err != nil || p.Problem != nil || len(p.Proposal.Payment.Allocations) != 2 {
			t.Fatalf("preview: %+v, %v; want a payment from both entries", p, err)
		}
		submit = rt.of(func() { r, err = db.SubmitRequest(ctx, d, p.Proposal.Payment) })
		if err != nil {
			t.Fatalf("submit: %v", err)
		}
		approve = rt.of(func() { err = db.ApproveRequest(ctx, r.ID, "Marieke") })
		if err != nil {
			t.Fatalf("approve: %v", err)
		}
		return preview, submit, approve, r
	}
	_, _, _, first := request() // prepares the statements
	if err := db.CancelRequest(ctx, first.ID, "Marieke", "again"); err != nil {
		t.Fatal(err)
	}
	preview, submit, approve, r := request()
	if preview != 1 || submit != 4 || approve != 3 {
		t.Errorf("round trips: preview %d, submit %d, approve %d; want 1, 4, 3", preview, submit, approve)
	}
	ledger, err := db.Ledger(ctx, bram.ID)
	if err != nil {
		t.Fatal(err)
	}
	spent := 0
	for _, e := range ledger.Entries {
		spent += e.Spent
		if e.Reserved != 0 {
			t.Errorf("entry %d still holds %d minutes reserved", e.ID, e.Reserved)
		}
	}
	if spent != 240 {
		t.Errorf("%d minutes spent, want both entries' 240", spent)
	}
	list, err := db.DayList(ctx, f.kdv.ID, friday)
	if err != nil {
		t.Fatal(err)
	}
	if row, ok := list.Row(bram.ID); !ok || row.Source != data.SourceRequest {
		t.Errorf("request %d approved, Bram is not on Friday's list by it: %+v", r.ID, row)
	}

	// The month's invoicing, as the planner previews it: one round trip,
	// and the approved request is in it (its first preview prepares).
	spec := data.InvoiceSpec{From: data.NewDate(2026, time.March, 1), To: data.NewDate(2026, time.March, 31), LocationID: f.kdv.LocationID, By: "Priya"}
	db.PreviewInvoicing(ctx, spec, nil)
	var sum data.InvoiceSummary
	if n := rt.of(func() { sum, err = db.PreviewInvoicing(ctx, spec, nil) }); err != nil || n != 1 || sum.Lines != 1 {
		t.Errorf("the month's invoicing: %d round trips, %d lines, %v; want 1, the approved request's line", n, sum.Lines, err)
	}
}
