package hub_test

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"
	"locatiedesk/data/demo"
	"locatiedesk/hub"
	"locatiedesk/hub/hubtest"
	"locatiedesk/hub/wire"
)

var monday9 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.Local)

func demoHub(t *testing.T) (*hubtest.Server, *boltstore.DB) {
	t.Helper()
	db, _ := datatest.Demo(t, monday9)
	return hubtest.Start(t, db), db
}

// api calls a procedure as any program could: JSON over HTTPS, with the
// headers given, trusting the hub's certificate.
func api(t *testing.T, h interface{ URL() string }, proc string, body any, header map[string]string) (status int, answer map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, h.URL()+proc, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	httpClient := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
		InsecureSkipVerify: true, // the test's own hub, on 127.0.0.1
	}}}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatalf("%s answered %d %q", proc, resp.StatusCode, raw)
	}
	return resp.StatusCode, answer
}

// tablet is a paired device with a person signed in on it.
type tablet struct{ device, session string }

// headers are the tablet's credentials, with an idempotency key if one is given.
func (tb tablet) headers(key string) map[string]string {
	h := map[string]string{wire.HeaderDevice: tb.device, wire.HeaderAuthorization: "Bearer " + tb.session}
	if key != "" {
		h[wire.HeaderIdempotency] = key
	}
	return h
}

// pairDevice pairs a device called name; it gives its Locatiedesk-Device header.
func pairDevice(t *testing.T, h *hubtest.Server, name string) string {
	t.Helper()
	id, credential := h.PairDevice(name)
	return fmt.Sprintf("%d.%s", id, credential)
}

// tablets numbers the tablets signIn pairs: names of paired devices differ.
var tablets atomic.Int32

// signIn signs a person in on a newly paired device.
func signIn(t *testing.T, h *hubtest.Server, user data.ID, pin string) tablet {
	t.Helper()
	return signInOn(t, h, pairDevice(t, h, fmt.Sprintf("tablet %d", tablets.Add(1))), user, pin)
}

func signInOn(t *testing.T, h *hubtest.Server, device string, user data.ID, pin string) tablet {
	t.Helper()
	status, answer := api(t, h, wire.ProcSignIn, wire.SignInRequest{UserID: user, Secret: pin},
		// One key per sign-in: the same key would get the first one's session.
		map[string]string{wire.HeaderIdempotency: fmt.Sprint("sign-in-", device, "-", user, "-", pin), wire.HeaderDevice: device})
	session, _ := answer["session"].(string)
	if status != http.StatusOK || session == "" {
		t.Fatalf("sign in: %d %v", status, answer)
	}
	return tablet{device: device, session: session}
}

func checkInBody(t *testing.T, db *boltstore.DB, group data.ID) map[string]any {
	t.Helper()
	list, err := db.DayList(t.Context(), group, data.DateOf(monday9))
	if err != nil || len(list.Rows) == 0 {
		t.Fatalf("group %d: %v", group, err)
	}
	return map[string]any{
		"e":  data.DayEdit{Date: data.DateOf(monday9), GroupID: group, ChildID: list.Rows[0].Child.ID, By: "Marieke de Boer"},
		"at": data.NewClock(8, 0),
		// What a forger would add: the hub has no such field, and never
		// takes the acting person from a request.
		"actor": data.Actor{UserID: 1, Name: "Marieke de Boer", Role: data.RoleManager, Locations: []data.ID{1}},
	}
}

func TestAPI_AForgedActorIsRefused(t *testing.T) {
	h, db := demoHub(t)
	tess := signIn(t, h, 2, "2222") // staff of groups 1 and 2
	group3 := checkInBody(t, db, 3)

	status, answer := api(t, h, wire.ProcCheckIn, group3, map[string]string{wire.HeaderIdempotency: "k1", wire.HeaderDevice: tess.device})
	if status != http.StatusUnauthorized || answer["code"] != "unauthenticated" {
		t.Errorf("a check-in without a session: %d %v, want unauthenticated", status, answer)
	}
	status, answer = api(t, h, wire.ProcCheckIn, group3, tablet{device: tess.device, session: "made-up"}.headers("k2"))
	if status != http.StatusUnauthorized {
		t.Errorf("a made-up session: %d %v, want unauthenticated", status, answer)
	}
	forged := tess.headers("k3")
	forged[hub.HeaderActAs] = "1"
	status, answer = api(t, h, wire.ProcCheckIn, group3, forged)
	if status != http.StatusForbidden || answer["code"] != "permission_denied" {
		t.Errorf("staff of groups 1-2 writing to group 3 claiming to be the manager: %d %v, want permission_denied", status, answer)
	}
	list, _ := db.DayList(t.Context(), 3, data.DateOf(monday9))
	if list.Rows[0].Attendance.CheckIn != nil {
		t.Error("the refused check-in is in the file")
	}
	status, answer = api(t, h, wire.ProcCheckIn, checkInBody(t, db, 1), tess.headers("k4"))
	if status != http.StatusOK {
		t.Errorf("her own group: %d %v", status, answer)
	}
	entries, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	if entries[0].UserID != 2 {
		t.Errorf("the log names user %d, want Tess (2)", entries[0].UserID)
	}
}

func TestAPI_ARetriedWriteIsAppliedOnce(t *testing.T) {
	h, db := demoHub(t)
	tess := signIn(t, h, 2, "2222")
	before, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	headers := tess.headers("same-key")
	for range 3 {
		if status, answer := api(t, h, wire.ProcCheckIn, checkInBody(t, db, 1), headers); status != http.StatusOK {
			t.Fatalf("check-in: %d %v", status, answer)
		}
	}
	after, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 5})
	if n := after[0].Seq - before[0].Seq; n != 1 {
		t.Errorf("three tries with one key made %d writes, want 1", n)
	}
	headers[wire.HeaderIdempotency] = "another-key"
	if status, _ := api(t, h, wire.ProcCheckIn, checkInBody(t, db, 1), headers); status != http.StatusOK {
		t.Fatal("a second check-in with its own key was refused")
	}
	last, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	if last[0].Seq != after[0].Seq+1 {
		t.Errorf("a new key made %d writes, want 1", last[0].Seq-after[0].Seq)
	}

	delete(headers, wire.HeaderIdempotency)
	if status, answer := api(t, h, wire.ProcCheckIn, checkInBody(t, db, 1), headers); status != http.StatusBadRequest {
		t.Errorf("a write without a key: %d %v, want refused", status, answer)
	}
}

func TestAPI_PlainHTTPIsRefused(t *testing.T) {
	h, _ := demoHub(t)
	plain := "http://" + strings.TrimPrefix(h.URL(), "https://") + wire.ProcUsers
	resp, err := http.Post(plain, "application/json", strings.NewReader("{}"))
	if err != nil {
		return // refused outright: as good
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || strings.Contains(string(body), "Marieke") {
		t.Errorf("plain HTTP: %d %q, want 400 and nothing of the data", resp.StatusCode, body)
	}
}

func TestAPI_ARefusalCarriesItsCodeForCurl(t *testing.T) {
	h, _ := demoHub(t)
	status, answer := api(t, h, wire.ProcAddLocation, map[string]string{"name": demo.LocationName},
		map[string]string{wire.HeaderIdempotency: "k", wire.HeaderAuthorization: "Bearer " + hubtest.OwnerKey})
	details, _ := answer["details"].([]any)
	if status != http.StatusBadRequest || answer["code"] != "invalid_argument" || len(details) != 1 {
		t.Fatalf("a name in use: %d %v", status, answer)
	}
	debug, _ := details[0].(map[string]any)["debug"].(map[string]any)
	typed, _ := debug["typed"].([]any)
	var refusal map[string]any
	if len(typed) == 1 {
		refusal, _ = typed[0].(map[string]any)["value"].(map[string]any)
	}
	if refusal["Code"] != data.RefuseNameTaken {
		t.Errorf("the detail %v does not carry the refusal's code", debug)
	}
}

func TestCertificate_MadeOnceAndKeptPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locatiedesk.db")
	first, err := hub.Certificate(path)
	if err != nil {
		t.Fatal(err)
	}
	again, err := hub.Certificate(path)
	if err != nil {
		t.Fatal(err)
	}
	if hub.Fingerprint(first) != hub.Fingerprint(again) {
		t.Error("the second start made another certificate")
	}
	if fp := hub.Fingerprint(first); len(fp) != 95 {
		t.Errorf("fingerprint %q, want 32 hex pairs", fp)
	}
	files, _ := filepath.Glob(path + ".hub-*")
	if len(files) != 2 {
		t.Fatalf("files beside the data file: %v", files)
	}
	if _, err := hub.OwnerKey(path); err != nil {
		t.Fatal(err)
	}
	files, _ = filepath.Glob(path + ".hub-*")
	for _, f := range files {
		info, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(f), info.Mode().Perm())
		}
	}
}

func TestSessionSecret_MadeOnceKeptPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locatiedesk.db")
	first, err := hub.SessionSecret(path)
	if err != nil || len(first) != 32 {
		t.Fatalf("the first start: %x, %v", first, err)
	}
	again, err := hub.SessionSecret(path)
	if err != nil || !bytes.Equal(first, again) {
		t.Errorf("the second start made another secret: %x, %v", again, err)
	}
	info, err := os.Stat(path + ".hub-session-key")
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the session key file: %v, %v; want mode 0600", info, err)
	}
	os.WriteFile(path+".hub-session-key", []byte("kapot\n"), 0o600)
	if _, err := hub.SessionSecret(path); err == nil || !strings.Contains(err.Error(), "remove it") {
		t.Errorf("a damaged session key: %v, want an error saying what to do", err)
	}
}
