package client_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"locatiedesk/data"
	"locatiedesk/hub"
	"locatiedesk/hub/client"
)

// TestWrite_ALostAnswerIsRetriedAndAppliedOnce loses the hub's answer to
// the first check-in after the hub applied it (as a dropped Wi-Fi does); the
// client retries with the same key and the check-in is logged once.
func TestWrite_ALostAnswerIsRetriedAndAppliedOnce(t *testing.T) {
	paired, db := demoHub(t) // a device paired on db, for this hub of db
	file := deviceFile(t, paired)
	h := hub.New(db, "")
	var lost atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/CheckIn") && lost.Add(1) == 1 {
			h.Handler().ServeHTTP(httptest.NewRecorder(), r) // applied, answer thrown away
			panic(http.ErrAbortHandler)
		}
		h.Handler().ServeHTTP(w, r)
	}))
	cert, err := hub.Certificate(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = nil
	srv.StartTLS()
	defer srv.Close()
	file.URL, file.Fingerprint = srv.URL, hub.Fingerprint(cert)
	c, err := client.DialDevice(file)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a, err := c.SignIn(t.Context(), tessID, tessPIN)
	if err != nil {
		t.Fatal(err)
	}
	tess := c.As(a)
	before, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1})

	if err := tess.CheckIn(t.Context(), childOf(t, tess, 1, 2), data.NewClock(8, 40)); err != nil {
		t.Fatalf("check-in whose first answer was lost: %v", err)
	}
	if lost.Load() < 2 {
		t.Fatalf("the client tried %d times, want a retry", lost.Load())
	}
	after, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	if n := after[0].Seq - before[0].Seq; n != 1 {
		t.Errorf("%d writes logged, want 1", n)
	}
}
