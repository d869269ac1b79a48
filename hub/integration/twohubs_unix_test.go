//go:build unix

package integration_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
	"locatiedesk/hub"
	"locatiedesk/hub/client"
)

// orgHubEnv carries the database and address to a hub process of
// TestTwoHubs_KilledHubsDevicesGoOnThroughTheOther.
const orgHubEnv = "LOCATIEDESK_ORG_HUB"

// TestOrganisationHub is one hub process on the organisation's database:
// it serves it on the address until it is killed, as `serve --store` does
// (the hubs share the identity kept in the database), and prints
// "ready URL FINGERPRINT" once it listens.
func TestOrganisationHub(t *testing.T) {
	address, addr, ok := hubProcessSpec(orgHubEnv)
	if !ok {
		t.Skip("runs only as a hub process of the two-hub test")
	}
	ctx := context.Background()
	db, err := pgstore.Open(ctx, address, pgstore.WithClock(func() time.Time { return lateMonday }))
	if err != nil {
		failHubProcess(err)
	}
	fresh, err := hub.NewIdentity()
	if err != nil {
		failHubProcess(err)
	}
	raw, _ := json.Marshal(fresh)
	if raw, err = db.SharedHubIdentity(ctx, raw); err != nil {
		failHubProcess(err)
	}
	var identity hub.Identity
	if err := json.Unmarshal(raw, &identity); err != nil {
		failHubProcess(err)
	}
	cert, err := identity.Certificate()
	if err != nil {
		failHubProcess(err)
	}
	ln, err := listenAgain(addr)
	if err != nil {
		failHubProcess(err)
	}
	if err := db.NoteHub(ctx, "https://"+ln.Addr().String()); err != nil {
		failHubProcess(err)
	}
	announceReady(ln, hub.Fingerprint(cert))
	failHubProcess(hub.New(db, identity.OwnerKey, hub.WithSessionSecret(identity.SessionSecret), hub.WithPeers(db.HubAddresses)).Serve(ctx, ln, cert))
}

// organisation sets up an organisation on a fresh database through the
// Store interface: one location, the Rupsjes with one child on a contract,
// and Tess with her PIN. It returns the database's address, the day edit
// Tess makes on her tablet, and Tess.
func organisation(t *testing.T) (address string, edit data.DayEdit, user data.ID) {
	t.Helper()
	address = pgtest.Database(t)
	ctx := t.Context()
	db, err := pgstore.Open(ctx, address, pgstore.WithClock(func() time.Time { return lateMonday }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	must := func(err error, what string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err = db.SetUp(ctx, data.OrganisationSetup{Organisation: "Kinderopvang Twee Hubs", Location: "De Vlinder",
		Groups: []data.GroupSetup{{Name: "Rupsjes", Care: data.KDV, Capacity: 12}}, Manager: "Marieke de Boer", Secret: "wachtwoord-marieke"})
	must(err, "SetUp")
	group, err := db.GroupByName(ctx, "Rupsjes")
	must(err, "GroupByName")
	staff, err := db.AddUser(ctx, data.NewUser{User: data.User{Name: "Tess Janssen", Role: data.RoleStaff, LocationIDs: []data.ID{group.LocationID}, GroupIDs: []data.ID{group.ID}}, Secret: "2222"})
	must(err, "AddUser")
	child, err := db.AddChild(ctx, data.Child{LocationID: group.LocationID, FirstName: "Anna", LastName: "de Wit", BirthDate: data.NewDate(2024, time.May, 1)})
	must(err, "AddChild")
	day := data.TimeRange{From: data.NewClock(7, 0), Until: data.NewClock(18, 30)}
	var days []data.ContractDay
	for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
		days = append(days, data.ContractDay{Weekday: wd, Times: day})
	}
	_, err = db.AddContract(ctx, data.Contract{ChildID: child.ID, GroupID: group.ID, Product: data.ProductKDV, Days: days, Start: data.NewDate(2026, time.January, 5)})
	must(err, "AddContract")
	return address, data.DayEdit{Date: data.DateOf(lateMonday), GroupID: group.ID, ChildID: child.ID, By: staff.Name}, staff.ID
}

// pairThrough pairs a tablet through the hub at url with a code made on
// the database, as a manager does; the device file lists the hubs.
func pairThrough(t *testing.T, address, url, name string) client.DeviceFile {
	t.Helper()
	db, err := pgstore.Open(t.Context(), address, pgstore.WithClock(func() time.Time { return lateMonday }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	code, err := db.CreatePairingCode(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := client.Pair(t.Context(), url, code.Code, name)
	if err != nil {
		t.Fatalf("pair %s through %s: %v", name, url, err)
	}
	return f
}

// TestTwoHubs_KilledHubsDevicesGoOnThroughTheOther runs two hubs as
// processes of their own on one database and kills them in turn with
// SIGKILL, at random moments, while a tablet writes through them with a
// key per write; another tablet, on the other hub, follows the feed. The
// tablet goes on through whichever hub is up; in the end every acknowledged
// write is in the database exactly once, and the follower saw a write
// made through the first hub within a second.
func TestTwoHubs_KilledHubsDevicesGoOnThroughTheOther(t *testing.T) {
	if os.Getenv(orgHubEnv) != "" {
		t.Skip("this is a hub process")
	}
	address, edit, user := organisation(t)
	a := newHubProcess(t, "TestOrganisationHub", orgHubEnv, address)
	b := newHubProcess(t, "TestOrganisationHub", orgHubEnv, address)
	a.start()
	b.start()
	defer func() { a.kill(); b.kill() }()
	if a.fingerprint != b.fingerprint {
		t.Fatalf("the hubs show different certificates (%s, %s): a device paired through one cannot use the other", a.fingerprint, b.fingerprint)
	}

	// Pairing through hub A, the tablet learns where both hubs answer.
	device := pairThrough(t, address, a.url, "Rupsjes tablet")
	if !slices.Contains(device.Hubs, a.url) || !slices.Contains(device.Hubs, b.url) {
		t.Fatalf("the device file lists the hubs %v, want %s and %s", device.Hubs, a.url, b.url)
	}
	c, err := client.DialDevice(device)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	signedIn, err := c.SignIn(t.Context(), user, "2222")
	if err != nil {
		t.Fatal(err)
	}

	// A follower on hub B sees the write made through hub A within a second.
	follower, err := client.DialDevice(pairThrough(t, address, b.url, "Rupsjes tablet 2"))
	if err != nil {
		t.Fatal(err)
	}
	defer follower.Close()
	followerActor, err := follower.SignIn(t.Context(), user, "2222")
	if err != nil {
		t.Fatal(err)
	}
	seen := follow(t, follower.As(followerActor))
	if err := c.As(signedIn).SetNote(t.Context(), edit, "komt vandaag met opa"); err != nil {
		t.Fatal(err)
	}
	seen.waitFor(t, time.Second, "the note written through hub A, on hub B's feed", func(ch data.Change) bool {
		return ch.Kind == data.ChangeAttendance && ch.GroupID == edit.GroupID
	})

	w := &keyedWriter{c: c, s: c.As(signedIn), edit: edit, user: user, secret: "2222"}
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.run(ctx) }()

	rounds := 8
	if testing.Short() {
		rounds = 2
	}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 17))
	midWrite := 0
	hubs := []*hubProcess{a, b}
	for round := range rounds + 1 {
		// The device gets a write through before each kill, and goes on
		// writing while one hub is down.
		since, _ := w.progress()
		deadline := time.Now().Add(20 * time.Second)
		for acked, _ := w.progress(); acked <= since+3; acked, _ = w.progress() {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: no write got through the hub left standing (%s)", round, c.Hub())
			}
			time.Sleep(time.Millisecond)
		}
		if round == rounds {
			break
		}
		// Kill the hub the device is using, restart it after a while.
		victim := hubs[0]
		if c.Hub() == hubs[1].url {
			victim = hubs[1]
		}
		time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
		if _, writing := w.progress(); writing {
			midWrite++
		}
		victim.kill()
		before, _ := w.progress()
		deadline = time.Now().Add(20 * time.Second)
		for acked, _ := w.progress(); acked <= before+3; acked, _ = w.progress() {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: the device did not go on through the other hub (in use: %s)", round, c.Hub())
			}
			time.Sleep(time.Millisecond)
		}
		victim.start()
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	acked, _ := w.progress()
	t.Logf("%d kills, %d of them while a write waited for its answer; %d writes acknowledged", rounds, midWrite, acked)
	checkAppliedOnceIn(t, address, acked)
}

// checkAppliedOnceIn finds each of the writer's check-ins in the database's
// log: the acknowledged ones exactly once, the one in flight at the end at
// most once, no other.
func checkAppliedOnceIn(t *testing.T, address string, acked int) {
	t.Helper()
	db, err := pgstore.Open(t.Context(), address, pgstore.WithClock(func() time.Time { return lateMonday }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := db.Audit(t.Context(), data.AuditFilter{Action: data.AuditCheckIn, Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	checkCheckIns(t, entries, acked)
}
