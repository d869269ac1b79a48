// Package integration_test runs a location as it stands: a hub on
// 127.0.0.1 serving a data file, and devices that reach it through the real
// network stack (TLS, HTTP/2) and use it through the data.Store interface
// only, as the screens do.
package integration_test

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"
	"locatiedesk/hub/client"
	"locatiedesk/hub/hubtest"
	"locatiedesk/hub/wire"
)

// monday9 is the hub's clock: a working day at the demo location.
var monday9 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.Local)

// The demo's people (data/demo) with their PINs or passwords.
const (
	marieke, mariekeSecret = data.ID(1), "1234" // the manager, at the office PC
	tess, tessPIN          = data.ID(2), "2222" // staff of groups 1 and 2 (Rupsjes tablet)
	sven, svenPIN          = data.ID(3), "3333" // staff of groups 3 and 4 (another room's tablet)
)

// location is the hub and its file.
type location struct {
	hub *hubtest.Server
	db  *boltstore.DB
}

func newLocation(t *testing.T) location {
	t.Helper()
	db, _ := datatest.Demo(t, monday9)
	return location{hub: hubtest.Start(t, db), db: db}
}

// devices numbers the devices the tests pair: their names differ.
var devices atomic.Int32

// pair pairs a new device with the hub, as a manager does.
func (l location) pair(t *testing.T) client.DeviceFile {
	t.Helper()
	id, credential := l.hub.PairDevice(fmt.Sprintf("tablet %d", devices.Add(1)))
	return client.DeviceFile{URL: l.hub.URL(), Fingerprint: l.hub.Fingerprint(), DeviceID: id, Credential: credential}
}

// header is the device's Locatiedesk-Device header.
func header(f client.DeviceFile) string { return fmt.Sprintf("%d.%s", f.DeviceID, f.Credential) }

// device is a paired device with one person signed in: its own connection
// to the hub, used as a data.Store.
func (l location) device(t *testing.T, user data.ID, secret string) data.Store {
	t.Helper()
	c, err := client.DialDevice(l.pair(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	a, err := c.SignIn(t.Context(), user, secret)
	if err != nil {
		t.Fatalf("sign in %d: %v", user, err)
	}
	return c.As(a)
}

// feed is what a device's subscription delivers, as it arrives.
type feed struct {
	arrived chan data.Change
}

func follow(t *testing.T, s data.Store) *feed {
	t.Helper()
	f := &feed{arrived: make(chan data.Change, 1024)}
	cancel, err := s.Subscribe(t.Context(), data.FeedLive, func(c data.Change) { f.arrived <- c })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return f
}

// waitFor waits up to within for a change that match accepts.
func (f *feed) waitFor(t *testing.T, within time.Duration, what string, match func(data.Change) bool) data.Change {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case c := <-f.arrived:
			if match(c) {
				return c
			}
		case <-deadline:
			t.Fatalf("%s did not arrive within %v", what, within)
		}
	}
}

// TestLocation_ACheckInOnOneTabletReachesTheOthersWithinASecond: the issue's
// first promise: staff see each other's check-ins without refreshing.
func TestLocation_ACheckInOnOneTabletReachesTheOthersWithinASecond(t *testing.T) {
	l := newLocation(t)
	rupsjes := l.device(t, tess, tessPIN)
	otherRoom := l.device(t, sven, svenPIN)
	pc := l.device(t, marieke, mariekeSecret)
	onOtherRoom, onPC := follow(t, otherRoom), follow(t, pc)

	day := data.DateOf(monday9)
	list, err := rupsjes.DayList(t.Context(), 1, day)
	if err != nil || len(list.Rows) == 0 {
		t.Fatalf("the Rupsjes list on the tablet: %v", err)
	}
	child := list.Rows[0].Child
	sent := time.Now()
	if err := rupsjes.CheckIn(t.Context(), data.DayEdit{Date: day, GroupID: 1, ChildID: child.ID, By: "Tess Janssen"}, data.NewClock(8, 45)); err != nil {
		t.Fatal(err)
	}
	isCheckIn := func(c data.Change) bool {
		return c.Kind == data.ChangeAttendance && c.ChildID == child.ID && c.Date == day
	}
	onOtherRoom.waitFor(t, time.Second, "the check-in on the other room's tablet", isCheckIn)
	onPC.waitFor(t, time.Second, "the check-in on the office PC", isCheckIn)
	t.Logf("the check-in reached both devices %v after it was sent", time.Since(sent))

	// And what the other device reads now shows it.
	list, err = pc.DayList(t.Context(), 1, day)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := list.Row(child.ID); !ok || r.Attendance.CheckIn == nil || *r.Attendance.CheckIn != data.NewClock(8, 45) {
		t.Errorf("the PC's list shows %s's row as %+v, want checked in at 08:45", child.FirstName, r.Attendance)
	}
}

// TestLocation_AnApprovalOnThePCPutsTheChildOnTheTabletsList: a request
// made on the tablet, approved in the office, lands on the tablet's list
// of that day, and the tablet hears of it through its feed.
func TestLocation_AnApprovalOnThePCPutsTheChildOnTheTabletsList(t *testing.T) {
	l := newLocation(t)
	tablet := l.device(t, tess, tessPIN)
	pc := l.device(t, marieke, mariekeSecret)
	onTablet := follow(t, tablet)

	day, draft := requestable(t, tablet)
	preview, err := tablet.PreviewRequest(t.Context(), draft)
	if err != nil || preview.Problem != nil {
		t.Fatalf("preview: %v %v", err, preview.Problem)
	}
	req, err := tablet.SubmitRequest(t.Context(), draft, preview.Proposal.Payment)
	if err != nil {
		t.Fatalf("submit on the tablet: %v", err)
	}
	if list, _ := tablet.DayList(t.Context(), 1, day); onList(list, draft.ChildID) {
		t.Fatal("the child is on the list before the approval")
	}

	queue, err := pc.OpenRequests(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !inQueue(queue, req.ID) {
		t.Fatalf("the PC's queue %+v lacks the tablet's request %d", queue, req.ID)
	}
	if err := pc.ApproveRequest(t.Context(), req.ID, "Marieke de Boer"); err != nil {
		t.Fatalf("approve on the PC: %v", err)
	}
	onTablet.waitFor(t, time.Second, "the approval on the tablet", func(c data.Change) bool { return c.Date == day && c.GroupID == 1 && c.Kind != data.ChangeSignIn })
	list, err := tablet.DayList(t.Context(), 1, day)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := list.Row(draft.ChildID)
	if !ok {
		t.Fatalf("after the approval the child is not on the tablet's list of %s", day)
	}
	if r.Expected != draft.Times {
		t.Errorf("the child is expected %v, want the requested %v", r.Expected, draft.Times)
	}
}

// requestable is a day ahead and a child of group 1 the tablet may ask
// extra care for on it.
func requestable(t *testing.T, tablet data.Store) (data.Date, data.RequestDraft) {
	t.Helper()
	for ahead := 1; ahead <= 3; ahead++ {
		day := data.DateOf(monday9).AddDays(ahead)
		children, err := tablet.RequestChildren(t.Context(), 1, day)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range children {
			d := data.RequestDraft{ChildID: c.ID, GroupID: 1, Date: day, Product: data.ProductKDV, Channel: data.ChannelGroup, By: "Tess Janssen",
				Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(13, 0)}}
			if p, err := tablet.PreviewRequest(t.Context(), d); err == nil && p.Problem == nil {
				return day, d
			}
		}
	}
	t.Fatal("no child of group 1 may be asked for in the next three days")
	return data.Date{}, data.RequestDraft{}
}

func onList(list data.DayList, child data.ID) bool { _, ok := list.Row(child); return ok }

func inQueue(queue []data.QueueItem, id data.ID) bool {
	for _, q := range queue {
		if q.Request.ID == id {
			return true
		}
	}
	return false
}

// TestLocation_StaffCannotWriteToAnotherGroupThroughTheAPI: a program that
// signs in as Tess (groups 1 and 2) and posts a check-in for group 3 itself,
// with a manager named in the body, is refused, and nothing is stored.
func TestLocation_StaffCannotWriteToAnotherGroupThroughTheAPI(t *testing.T) {
	l := newLocation(t)
	device := header(l.pair(t))
	var session wire.SessionResponse
	if status := post(t, l, device, wire.ProcSignIn, "", "sign-in", wire.SignInRequest{UserID: tess, Secret: tessPIN}, &session); status != http.StatusOK {
		t.Fatalf("sign in: %d", status)
	}
	day := data.DateOf(monday9)
	group3, err := l.db.DayList(t.Context(), 3, day)
	if err != nil || len(group3.Rows) == 0 {
		t.Fatalf("group 3: %v", err)
	}
	child := group3.Rows[0].Child.ID
	body := map[string]any{
		"e":      data.DayEdit{Date: day, GroupID: 3, ChildID: child, By: "Marieke de Boer"},
		"at":     data.NewClock(8, 0),
		"note":   "door een script",
		"reason": data.AbsenceSick,
		// What a forger would add: the hub has no such field, and never
		// takes the acting person from a request.
		"actor": data.Actor{UserID: marieke, Role: data.RoleManager, Locations: []data.ID{1}},
	}
	before, _ := l.db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	var refusal map[string]any
	for _, proc := range []string{wire.ProcCheckIn, wire.ProcSetNote, wire.ProcMarkAbsent} {
		status := post(t, l, device, proc, session.Session, "group-3-"+proc, body, &refusal)
		if status != http.StatusForbidden || refusal["code"] != "permission_denied" {
			t.Errorf("%s for group 3 by staff of groups 1-2: %d %v, want permission_denied", proc, status, refusal)
		}
	}
	after, _ := l.db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	if after[0].Seq != before[0].Seq {
		t.Errorf("the refused calls wrote %q", after[0].Action)
	}
	list, _ := l.db.DayList(t.Context(), 3, day)
	if r, _ := list.Row(child); r.Attendance.CheckIn != nil || r.Attendance.Note != "" || r.Attendance.Absent {
		t.Errorf("group 3's record changed: %+v", r.Attendance)
	}

	// Through the Store interface the same write is refused the same way.
	tablet := l.device(t, tess, tessPIN)
	err = tablet.CheckIn(t.Context(), data.DayEdit{Date: day, GroupID: 3, ChildID: child, By: "Tess Janssen"}, data.NewClock(8, 0))
	if !errors.Is(err, data.ErrForbidden) {
		t.Errorf("a check-in in group 3 from Tess's tablet: %v, want ErrForbidden", err)
	}
}

// TestLocation_PlainHTTPIsRefused: the hub speaks TLS only; a device or a
// program that tries plain HTTP learns nothing.
func TestLocation_PlainHTTPIsRefused(t *testing.T) {
	l := newLocation(t)
	plain := "http://" + strings.TrimPrefix(l.hub.URL(), "https://")
	for _, proc := range []string{wire.ProcUsers, wire.ProcSignIn} {
		resp, err := http.Post(plain+proc, "application/json", strings.NewReader(`{"userID":2,"secret":"2222"}`))
		if err != nil {
			continue // refused outright: as good
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || bytes.Contains(body, []byte("Tess")) || bytes.Contains(body, []byte("session")) {
			t.Errorf("%s over plain HTTP: %d %q, want 400 and nothing of the data", proc, resp.StatusCode, body)
		}
	}
	if _, err := client.Dial(plain, l.hub.Fingerprint()); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a client told to use plain HTTP: %v, want refused", err)
	}
}

// TestLocation_RevokedOrForgedDeviceIsRefused: a device whose credential is
// made up, or that the manager unpaired, gets nothing from the hub — not
// the sign-in list, not a sign-in, not a write with a session it had — and
// nothing is written.
func TestLocation_RevokedOrForgedDeviceIsRefused(t *testing.T) {
	l := newLocation(t)
	paired := l.pair(t)
	forged := paired
	forged.Credential = strings.Repeat("A", len(paired.Credential))
	var session wire.SessionResponse
	if status := post(t, l, header(paired), wire.ProcSignIn, "", "sign-in", wire.SignInRequest{UserID: tess, Secret: tessPIN}, &session); status != http.StatusOK {
		t.Fatalf("sign in on the paired tablet: %d", status)
	}
	manager, err := l.db.ActorFor(t.Context(), marieke)
	if err != nil {
		t.Fatal(err)
	}
	unpaired := l.pair(t)
	var unpairedSession wire.SessionResponse
	if status := post(t, l, header(unpaired), wire.ProcSignIn, "", "sign-in", wire.SignInRequest{UserID: tess, Secret: tessPIN}, &unpairedSession); status != http.StatusOK {
		t.Fatalf("sign in on the tablet to unpair: %d", status)
	}
	if err := l.db.As(manager).RevokeDevice(t.Context(), unpaired.DeviceID); err != nil {
		t.Fatal(err)
	}
	day := data.DateOf(monday9)
	group1, err := l.db.DayList(t.Context(), 1, day)
	if err != nil || len(group1.Rows) == 0 {
		t.Fatalf("group 1: %v", err)
	}
	checkIn := map[string]any{"e": data.DayEdit{Date: day, GroupID: 1, ChildID: group1.Rows[0].Child.ID, By: "Tess Janssen"}, "at": data.NewClock(8, 0)}
	before, _ := l.db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	for name, call := range map[string]struct {
		device, session string
	}{
		"forged, with the real tablet's session": {header(forged), session.Session},
		"forged, no session":                     {header(forged), ""},
		"unpaired, with its session":             {header(unpaired), unpairedSession.Session},
		"no device, with a session":              {"", session.Session},
	} {
		for _, proc := range []string{wire.ProcUsers, wire.ProcSignIn, wire.ProcCheckIn} {
			body := any(checkIn)
			if proc == wire.ProcSignIn {
				body = wire.SignInRequest{UserID: tess, Secret: tessPIN}
			}
			var refusal map[string]any
			if status := post(t, l, call.device, proc, call.session, name+proc, body, &refusal); status != http.StatusUnauthorized || refusal["code"] != "unauthenticated" {
				t.Errorf("%s: %s answered %d %v, want unauthenticated", name, proc, status, refusal)
			}
		}
	}
	if after, _ := l.db.Audit(t.Context(), data.AuditFilter{Limit: 1}); after[0].Seq != before[0].Seq {
		t.Errorf("refused devices wrote %q", after[0].Action)
	}
	// Through the Store interface the forged device is refused the same way.
	c, err := client.DialDevice(forged)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Users(t.Context()); !errors.Is(err, wire.ErrDeviceNotPaired) {
		t.Errorf("the sign-in list on a forged device: %v, want ErrDeviceNotPaired", err)
	}
}

// post calls a procedure as any program could: JSON over HTTPS, from a
// device (its Locatiedesk-Device header, or none) with a session (or none)
// and an idempotency key, decoding the answer into out.
func post(t *testing.T, l location, device, proc, session, key string, body, out any) int {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, l.hub.URL()+proc, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(wire.HeaderIdempotency, key)
	if device != "" {
		req.Header.Set(wire.HeaderDevice, device)
	}
	if session != "" {
		req.Header.Set(wire.HeaderAuthorization, "Bearer "+session)
	}
	httpClient := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
		InsecureSkipVerify: true, // the test's own hub, on 127.0.0.1
	}}}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(answer, out); err != nil {
		t.Fatalf("%s answered %d %q", proc, resp.StatusCode, answer)
	}
	return resp.StatusCode
}
