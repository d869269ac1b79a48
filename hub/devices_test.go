package hub_test

import (
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
	"locatiedesk/hub"
	"locatiedesk/hub/client"
	"locatiedesk/hub/hubtest"
	"locatiedesk/hub/wire"
)

const (
	mariekeID  data.ID = 1 // the demo's manager
	mariekePIN         = "1234"
	tessID     data.ID = 2 // staff of groups 1 and 2
	tessPIN            = "2222"
)

// managerCode is a pairing code the demo's manager made on the hub's store.
func managerCode(t *testing.T, db data.Store, deviceName string) data.PairingCode {
	t.Helper()
	marieke, err := db.ActorFor(t.Context(), mariekeID)
	if err != nil {
		t.Fatal(err)
	}
	code, err := db.As(marieke).CreatePairingCode(t.Context(), deviceName)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func wantRefusal(t *testing.T, err error, code string) {
	t.Helper()
	var r *data.Refusal
	if !errors.As(err, &r) || r.Code != code {
		t.Errorf("got %v, want refusal %s", err, code)
	}
}

func TestPairing_AnUnpairedDeviceGetsNotEvenTheSignInList(t *testing.T) {
	h, db := demoHub(t)
	for name, header := range map[string]map[string]string{
		"no device":            nil,
		"a made-up device":     {wire.HeaderDevice: "77.bedacht"},
		"a paired device's ID": {wire.HeaderDevice: strings.Split(pairDevice(t, h, "Avonturiers tablet"), ".")[0] + ".geraden"},
		"no credential":        {wire.HeaderDevice: "1"},
	} {
		status, answer := api(t, h, wire.ProcUsers, struct{}{}, header)
		if status != http.StatusUnauthorized || answer["code"] != "unauthenticated" || strings.Contains(answer["message"].(string), "Marieke") {
			t.Errorf("%s asks for the sign-in list: %d %v, want unauthenticated", name, status, answer)
		}
	}
	// A device that guesses writes nothing either.
	before, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	api(t, h, wire.ProcSignIn, wire.SignInRequest{UserID: tessID, Secret: tessPIN},
		map[string]string{wire.HeaderIdempotency: "k", wire.HeaderDevice: "1.geraden"})
	if after, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1}); after[0].Seq != before[0].Seq {
		t.Errorf("a sign-in from an unpaired device was logged: %+v", after[0])
	}
	// Who the hub is, and its clock, anyone may ask.
	if status, answer := api(t, h, wire.ProcHubInfo, struct{}{}, nil); status != http.StatusOK || answer["hubName"] == "" {
		t.Errorf("HubInfo unpaired: %d %v", status, answer)
	}
	if status, _ := api(t, h, wire.ProcNow, struct{}{}, map[string]string{wire.HeaderIdempotency: "now"}); status != http.StatusOK {
		t.Errorf("Now unpaired: %d", status)
	}
}

func TestPairing_AForgedCredentialIsRefused(t *testing.T) {
	h, _ := demoHub(t)
	real := pairDevice(t, h, "Rupsjes tablet")
	id, credential, _ := strings.Cut(real, ".")
	forged := credential[:len(credential)-1] + map[bool]string{true: "B", false: "A"}[strings.HasSuffix(credential, "A")]
	c, err := client.DialDevice(client.DeviceFile{URL: h.URL(), Fingerprint: h.Fingerprint(), DeviceID: data.ID(atoi(t, id)), Credential: forged})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Users(t.Context()); !errors.Is(err, wire.ErrDeviceNotPaired) {
		t.Errorf("the sign-in list with a forged credential: %v, want ErrDeviceNotPaired", err)
	}
	if _, err := c.SignIn(t.Context(), tessID, tessPIN); !errors.Is(err, wire.ErrDeviceNotPaired) {
		t.Errorf("signing in with a forged credential: %v, want ErrDeviceNotPaired", err)
	}
	// The right credential gets in.
	if status, answer := api(t, h, wire.ProcUsers, struct{}{}, map[string]string{wire.HeaderDevice: real}); status != http.StatusOK {
		t.Errorf("the real device: %d %v", status, answer)
	}
}

func atoi(t *testing.T, s string) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPairing_ThroughTheClientAndRevokedAtOnce: a tablet pairs with the code
// a manager made, a person signs in on it and works; the manager revokes it
// and its very next call is refused.
func TestPairing_ThroughTheClientAndRevokedAtOnce(t *testing.T) {
	h, db := demoHub(t)
	code := managerCode(t, db, "")
	f, err := client.Pair(t.Context(), h.URL(), strings.ToLower(data.FormatPairingCode(code.Code)), "Rupsjes tablet")
	if err != nil {
		t.Fatalf("pairing: %v", err)
	}
	if f.Fingerprint != h.Fingerprint() || f.DeviceID == 0 || len(f.Credential) < 40 || f.HubName == "" || f.DeviceName != "Rupsjes tablet" {
		t.Errorf("device file %+v: want the hub's fingerprint pinned, a number, a credential and the hub's name", f)
	}
	c, err := client.DialDevice(f)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a, err := c.SignIn(t.Context(), tessID, tessPIN)
	if err != nil {
		t.Fatalf("signing in on the paired tablet: %v", err)
	}
	tess := c.As(a)
	if _, err := tess.Locations(t.Context()); err != nil {
		t.Fatalf("Tess on the paired tablet: %v", err)
	}

	marieke, _ := db.ActorFor(t.Context(), mariekeID)
	if err := db.As(marieke).RevokeDevice(t.Context(), f.DeviceID); err != nil {
		t.Fatal(err)
	}
	_, err = tess.Locations(t.Context())
	if !errors.Is(err, wire.ErrDeviceNotPaired) {
		t.Fatalf("the revoked tablet's next call: %v, want ErrDeviceNotPaired", err)
	}
	wantRefusal(t, err, data.RefuseDeviceRevoked)
	if _, err := c.Users(t.Context()); !errors.Is(err, wire.ErrDeviceNotPaired) {
		t.Errorf("the revoked tablet asks for the sign-in list: %v, want ErrDeviceNotPaired", err)
	}
}

func TestPairing_ACodeWorksOnce(t *testing.T) {
	h, db := demoHub(t)
	code := managerCode(t, db, "Rupsjes tablet")
	first, err := client.Pair(t.Context(), h.URL(), code.Code, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.Pair(t.Context(), h.URL(), code.Code, "Tweede tablet")
	wantRefusal(t, err, data.RefusePairingCodeUnknown)
	devices, err := db.Devices(t.Context())
	if err != nil || len(devices) != 1 || devices[0].ID != first.DeviceID || devices[0].Name != "Rupsjes tablet" {
		t.Errorf("devices after a code used twice: %+v, %v; want the first only, with the manager's name", devices, err)
	}
}

// TestPairing_AManInTheMiddleCannotPair: between the tablet and the hub sits
// a proxy with a certificate of its own, passing every call on. The tablet's
// proof is made over the certificate it sees, so the hub matches no code,
// and the code stays open for the real tablet.
func TestPairing_AManInTheMiddleCannotPair(t *testing.T) {
	h, db := demoHub(t)
	code := managerCode(t, db, "Rupsjes tablet")
	target, _ := url.Parse(h.URL())
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} // the middle trusts anything
	middle := httptest.NewUnstartedServer(proxy)
	cert, err := hub.Certificate(filepath.Join(t.TempDir(), "middle.db"))
	if err != nil {
		t.Fatal(err)
	}
	middle.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	middle.StartTLS()
	defer middle.Close()

	if status, _ := api(t, address(middle.URL), wire.ProcHubInfo, struct{}{}, nil); status != http.StatusOK {
		t.Fatalf("the proxy does not pass calls on (%d)", status)
	}
	_, err = client.Pair(t.Context(), middle.URL, code.Code, "")
	wantRefusal(t, err, data.RefusePairingCodeUnknown)
	if devices, _ := db.Devices(t.Context()); len(devices) != 0 {
		t.Errorf("the man in the middle paired %+v", devices)
	}
	if _, err := client.Pair(t.Context(), h.URL(), code.Code, ""); err != nil {
		t.Errorf("the real tablet with the same code after the attempt: %v", err)
	}
}

// address lets api call any address.
type address string

func (a address) URL() string { return string(a) }

func TestPairing_AnExpiredCodeIsRefused(t *testing.T) {
	var mu sync.Mutex
	now := monday9
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	db, _ := datatest.Open(t, datatest.Clock(clock), datatest.WithDemo())
	h := hubtest.Start(t, db)
	code := managerCode(t, db, "Rupsjes tablet")
	mu.Lock()
	now = now.Add(data.PairingCodeValid)
	mu.Unlock()
	_, err := client.Pair(t.Context(), h.URL(), code.Code, "")
	wantRefusal(t, err, data.RefusePairingCodeUnknown)
	_, err = client.Pair(t.Context(), h.URL(), "ABCDE-2345", "")
	wantRefusal(t, err, data.RefusePairingCodeFormat)
}

// TestSessions_OutliveARestartOfTheHub: the hub's computer restarts; the
// tablet's person is still signed in, on that tablet only.
func TestSessions_OutliveARestartOfTheHub(t *testing.T) {
	h, db := demoHub(t)
	tess := signIn(t, h, tessID, tessPIN)
	h.Reboot(0)
	if status, answer := api(t, h, wire.ProcCheckIn, checkInBody(t, db, 1), tess.headers("after-restart")); status != http.StatusOK {
		t.Fatalf("a check-in after the hub restarted: %d %v", status, answer)
	}
	// The session holds on its own device only.
	other := tablet{device: pairDevice(t, h, "Andere tablet"), session: tess.session}
	if status, answer := api(t, h, wire.ProcCheckIn, checkInBody(t, db, 1), other.headers("other-device")); status != http.StatusUnauthorized {
		t.Errorf("Tess's session on another device: %d %v, want unauthenticated", status, answer)
	}
}

func TestAudit_AWriteThroughADeviceNamesIt(t *testing.T) {
	h, db := demoHub(t)
	tess := signInOn(t, h, pairDevice(t, h, "Rupsjes tablet"), tessID, tessPIN)
	if status, answer := api(t, h, wire.ProcCheckIn, checkInBody(t, db, 1), tess.headers("k")); status != http.StatusOK {
		t.Fatalf("check-in: %d %v", status, answer)
	}
	log, err := db.Audit(t.Context(), data.AuditFilter{Action: data.AuditCheckIn, Limit: 1})
	if err != nil || len(log) != 1 {
		t.Fatalf("the log: %v, %v", log, err)
	}
	if log[0].Device != "Rupsjes tablet" || log[0].UserID != tessID {
		t.Errorf("the check-in is logged by %q on %q, want Tess on Rupsjes tablet", log[0].Who, log[0].Device)
	}
	// The sign-in too, right or wrong, names the tablet it was tried on.
	api(t, h, wire.ProcSignIn, wire.SignInRequest{UserID: tessID, Secret: "0000"}, map[string]string{wire.HeaderIdempotency: "wrong", wire.HeaderDevice: tess.device})
	signIns, err := db.Audit(t.Context(), data.AuditFilter{Action: data.AuditSignIn, Limit: 2})
	if err != nil || len(signIns) != 2 {
		t.Fatalf("the sign-ins: %v, %v", signIns, err)
	}
	for _, e := range signIns {
		if e.Device != "Rupsjes tablet" || e.Who != data.SystemName {
			t.Errorf("sign-in %q is logged by %q on %q, want the system on Rupsjes tablet", e.Detail, e.Who, e.Device)
		}
	}
}

func TestSetUp_OnlyWithTheOwnerKey(t *testing.T) {
	db, _ := datatest.Open(t, datatest.At(monday9))
	h := hubtest.Start(t, db)
	device := pairDevice(t, h, "Kantoor")
	if status, info := api(t, h, wire.ProcHubInfo, struct{}{}, nil); status != http.StatusOK || info["empty"] != true {
		t.Errorf("what a new hub says of itself: %d %v; want empty", status, info)
	}
	setup := wire.SetUpRequest{Setup: data.OrganisationSetup{Organisation: "Kinderopvang Test", Location: "De Vlinder",
		Groups: []data.GroupSetup{{Name: "Rupsjes", Care: data.KDV, Capacity: 12}}, Manager: "Marieke", Secret: "wachtwoord-1"}}
	if status, answer := api(t, h, wire.ProcSetUp, setup, map[string]string{wire.HeaderIdempotency: "a", wire.HeaderDevice: device}); status != http.StatusUnauthorized {
		t.Errorf("SetUp from a paired device: %d %v, want unauthenticated", status, answer)
	}
	if empty, _ := db.IsEmpty(t.Context()); !empty {
		t.Fatal("a device set the hub up")
	}
	if status, answer := api(t, h, wire.ProcSetUp, setup, map[string]string{wire.HeaderIdempotency: "b", wire.HeaderAuthorization: "Bearer " + hubtest.OwnerKey}); status != http.StatusOK {
		t.Errorf("SetUp with the owner key: %d %v", status, answer)
	}
	if status, info := api(t, h, wire.ProcHubInfo, struct{}{}, nil); status != http.StatusOK || info["empty"] != nil || info["hubName"] != "Kinderopvang Test — De Vlinder" {
		t.Errorf("what the hub says of itself once set up: %d %v", status, info)
	}
}

func TestDevices_SeenAtMostOnceAMinuteAndNoHashLeaves(t *testing.T) {
	var mu sync.Mutex
	now := monday9
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	move := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	db, _ := datatest.Open(t, datatest.Clock(clock), datatest.WithDemo())
	h := hubtest.Start(t, db)
	marieke := signIn(t, h, mariekeID, mariekePIN)
	id := atoi(t, strings.Split(marieke.device, ".")[0])
	seen := func() time.Time {
		t.Helper()
		d, err := db.Device(t.Context(), data.ID(id))
		if err != nil {
			t.Fatal(err)
		}
		return d.LastSeen
	}
	paired := seen()
	move(30 * time.Second)
	api(t, h, wire.ProcLocations, struct{}{}, marieke.headers(""))
	if got := seen(); !got.Equal(paired) {
		t.Errorf("last seen %s half a minute after pairing, want still %s", got, paired)
	}
	move(31 * time.Second)
	api(t, h, wire.ProcLocations, struct{}{}, marieke.headers(""))
	if got := seen(); !got.Equal(clock()) {
		t.Errorf("last seen %s a minute after pairing, want %s", got, clock())
	}

	status, answer := api(t, h, wire.ProcDevices, struct{}{}, marieke.headers(""))
	list, _ := answer["result"].([]any)
	if status != http.StatusOK || len(list) != 1 {
		t.Fatalf("the manager's list of devices: %d %v", status, answer)
	}
	if hash, ok := list[0].(map[string]any)["credentialHash"]; ok {
		t.Errorf("the list of devices carries a credential hash %v", hash)
	}
	if entries, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1}); entries[0].Action != data.AuditSignIn {
		t.Errorf("the newest log entry is %s: being seen was logged", entries[0].Action)
	}
}

// TestPairing_ARevokedDevicesFeedEnds: a tablet following the change feed
// gets nothing after the manager unpairs it; another tablet goes on.
func TestPairing_ARevokedDevicesFeedEnds(t *testing.T) {
	h, db := demoHub(t)
	follow := func(name string) (data.ID, func() []data.Change) {
		id, credential := h.PairDevice(name)
		c, err := client.DialDevice(client.DeviceFile{URL: h.URL(), Fingerprint: h.Fingerprint(), DeviceID: id, Credential: credential})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		a, err := c.SignIn(t.Context(), tessID, tessPIN)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var got []data.Change
		cancel, err := c.As(a).Subscribe(t.Context(), data.FeedLive, func(ch data.Change) {
			mu.Lock()
			got = append(got, ch)
			mu.Unlock()
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cancel)
		return id, func() []data.Change { mu.Lock(); defer mu.Unlock(); return append([]data.Change(nil), got...) }
	}
	lost, lostGot := follow("Verloren tablet")
	_, keptGot := follow("Rupsjes tablet")
	marieke, _ := db.ActorFor(t.Context(), mariekeID)
	if err := db.As(marieke).RevokeDevice(t.Context(), lost); err != nil {
		t.Fatal(err)
	}
	if err := db.LogPrint(t.Context(), "na het ontkoppelen"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !printed(keptGot()) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !printed(keptGot()) {
		t.Fatalf("the paired tablet did not get the change: %+v", keptGot())
	}
	if got := lostGot(); printed(got) {
		t.Errorf("the unpaired tablet still got %+v", got)
	}
}

func printed(cs []data.Change) bool {
	for _, c := range cs {
		if c.Kind == data.ChangePrint {
			return true
		}
	}
	return false
}

// TestFeed_ADeviceHearsOnlyItsOwnLocation: a hub serving two locations tells
// a tablet paired at De Vlinder nothing of De Egel's groups, and no words
// from the log (which may name a child); the hub's own computer hears all.
func TestFeed_ADeviceHearsOnlyItsOwnLocation(t *testing.T) {
	h, db := demoHub(t)
	ctx := t.Context()
	egel, err := db.AddLocation(ctx, "De Egel")
	if err != nil {
		t.Fatal(err)
	}
	egeltjes, err := db.AddGroup(ctx, data.Group{LocationID: egel.ID, Name: "Egeltjes", Care: data.KDV, Capacity: 12})
	if err != nil {
		t.Fatal(err)
	}
	rupsjes, err := db.Group(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	tablet, err := client.Pair(ctx, h.URL(), managerCode(t, db, "Rupsjes tablet").Code, "")
	if err != nil {
		t.Fatal(err)
	}
	onTablet, err := client.DialDevice(tablet)
	if err != nil {
		t.Fatal(err)
	}
	defer onTablet.Close()
	owner := h.Owner()
	a, err := onTablet.SignIn(ctx, mariekeID, mariekePIN)
	if err != nil {
		t.Fatal(err)
	}
	tabletGot, ownerGot := collect(t, onTablet.As(a)), collect(t, owner)

	egeltjes.Capacity, rupsjes.Capacity = 14, rupsjes.Capacity+1
	for _, g := range []data.Group{egeltjes, rupsjes} {
		if err := db.UpdateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	owned := ownerGot(func(cs []data.Change) bool { return len(groupsOf(cs)) == 2 })
	if !strings.Contains(owned[0].Detail, "14") {
		t.Errorf("the hub's own computer got %+v, want the log's words", owned[0])
	}
	// Egeltjes changed first: once Rupsjes' change is there, Egeltjes'
	// would have been.
	heard := tabletGot(func(cs []data.Change) bool { return slices.Contains(groupsOf(cs), rupsjes.ID) })
	if groups := groupsOf(heard); len(groups) != 1 || groups[0] != rupsjes.ID {
		t.Errorf("the tablet heard of groups %v, want Rupsjes (%d) only", groups, rupsjes.ID)
	}
	for _, c := range heard {
		if c.Detail != "" {
			t.Errorf("the tablet got the log's words %q", c.Detail)
		}
	}
}

// groupsOf lists the groups the changes are about, each once, in order.
func groupsOf(cs []data.Change) []data.ID {
	var out []data.ID
	for _, c := range cs {
		if c.GroupID != 0 && !slices.Contains(out, c.GroupID) {
			out = append(out, c.GroupID)
		}
	}
	return out
}

// collect follows s's feed; the function it gives waits (up to 5 s) until
// what arrived satisfies enough, and gives it.
func collect(t *testing.T, s data.Store) func(enough func([]data.Change) bool) []data.Change {
	var mu sync.Mutex
	var got []data.Change
	datatest.Subscribe(t, s, func(c data.Change) {
		mu.Lock()
		got = append(got, c)
		mu.Unlock()
	})
	return func(enough func([]data.Change) bool) []data.Change {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			mu.Lock()
			now := slices.Clone(got)
			mu.Unlock()
			if enough(now) {
				return now
			}
			if time.Now().After(deadline) {
				t.Fatalf("the feed gave %+v", now)
			}
		}
	}
}
