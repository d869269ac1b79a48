package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/pgstore"
	"locatiedesk/hub"
	"locatiedesk/hub/client"
	"locatiedesk/hub/discover"
)

// hubURLSuffix names the file a running hub keeps beside its data file with
// its address, so that commands on the same computer go through it.
const hubURLSuffix = ".hub-url"

// runServe serves the data file to the location's devices until Ctrl-C or
// SIGTERM (a service manager's stop).
func runServe(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dbPath := newFlags("serve")
	store := storeFlag(fs)
	listen := fs.String("listen", ":7443", "the address to answer on, host:port")
	announce := fs.Bool("announce", true, "announce the hub on the local network (mDNS), so tablets list it without typing its address")
	address := fs.String("address", "", "with --store: where devices reach this hub, https://HOST:PORT (default: this computer's name and the port of --listen)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()
	if *store != "" {
		if flagGiven(fs, "db") {
			return errors.New("give either --db (a location's data file) or --store (the organisation's database), not both")
		}
		return serveDatabase(ctx, *store, *listen, *address, *announce, stdout)
	}
	db, err := openFile(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	cert, err := hub.Certificate(db.Path())
	if err != nil {
		return err
	}
	ownerKey, err := hub.OwnerKey(db.Path())
	if err != nil {
		return err
	}
	sessionSecret, err := hub.SessionSecret(db.Path())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	url := "https://" + localAddress(ln.Addr())
	if err := writeHubURL(db.Path(), url); err != nil {
		ln.Close()
		return err
	}
	defer os.Remove(db.Path() + hubURLSuffix)
	fmt.Fprintf(stdout, "serving %s at %s\ncertificate fingerprint (SHA-256): %s\n", db.Path(), strings.Replace(url, "127.0.0.1", listenHost(*listen), 1), hub.Fingerprint(cert))
	if *announce {
		name := discover.NameOf(ctx, db)
		if err := discover.Announce(ctx, ln.Addr().(*net.TCPAddr).Port, name, hub.Fingerprint(cert)); err != nil {
			fmt.Fprintln(stdout, err) // the hub works without; devices type its address
		} else {
			fmt.Fprintf(stdout, "announced on the local network as %s\n", discover.Hub{Name: name}.Title())
		}
	}
	if err := hub.New(db, ownerKey, hub.WithSessionSecret(sessionSecret)).Serve(ctx, ln, cert); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// serveDatabase is a hub on the organisation's PostgreSQL database. Every
// hub of the database shares one identity kept in it (certificate, session
// and owner keys), so a device paired through one works through all, and
// notes where it answers, so devices learn where to go when theirs is down.
func serveDatabase(ctx context.Context, address, listen, public string, announce bool, stdout io.Writer) error {
	db, err := pgstore.Open(ctx, address)
	if err != nil {
		return err
	}
	defer db.Close()
	fresh, err := hub.NewIdentity()
	if err != nil {
		return err
	}
	raw, err := json.Marshal(fresh)
	if err != nil {
		return err
	}
	if raw, err = db.SharedHubIdentity(ctx, raw); err != nil {
		return err
	}
	var identity hub.Identity
	if err := json.Unmarshal(raw, &identity); err != nil {
		return fmt.Errorf("the hubs' shared identity in the database is damaged: %w", err)
	}
	cert, err := identity.Certificate()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	if public == "" {
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		public = "https://" + net.JoinHostPort(listenHost(listen), port)
	}
	if !strings.HasPrefix(public, "https://") {
		ln.Close()
		return fmt.Errorf("--address %q: write https://HOST:PORT", public)
	}
	purgeDatabase(ctx, db, stdout)
	go noteHub(ctx, db, public, stdout)
	fmt.Fprintf(stdout, "serving %s at %s\ncertificate fingerprint (SHA-256): %s\n", pgstore.Redact(address), public, hub.Fingerprint(cert))
	if announce {
		name := discover.NameOf(ctx, db)
		if err := discover.Announce(ctx, ln.Addr().(*net.TCPAddr).Port, name, hub.Fingerprint(cert)); err != nil {
			fmt.Fprintln(stdout, err)
		} else {
			fmt.Fprintf(stdout, "announced on the local network as %s\n", discover.Hub{Name: name}.Title())
		}
	}
	h := hub.New(db, identity.OwnerKey, hub.WithSessionSecret(identity.SessionSecret), hub.WithPeers(db.HubAddresses))
	if err := h.Serve(ctx, ln, cert); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// noteHub keeps the hub's address in the database while it serves.
func noteHub(ctx context.Context, db *pgstore.DB, address string, stdout io.Writer) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		if err := db.NoteHub(ctx, address); err != nil && ctx.Err() == nil {
			fmt.Fprintln(stdout, err) // devices still reach this hub; only their list of others is late
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// localAddress is how a command on this computer reaches the listener.
func localAddress(a net.Addr) string {
	_, port, _ := net.SplitHostPort(a.String())
	return net.JoinHostPort("127.0.0.1", port)
}

// listenHost is the host the hub was told to answer on, for the message.
func listenHost(listen string) string {
	host, _, _ := net.SplitHostPort(listen)
	if host == "" || host == "0.0.0.0" || host == "::" {
		if name, err := os.Hostname(); err == nil {
			return name
		}
	}
	if host == "" {
		return "127.0.0.1"
	}
	return host
}

func writeHubURL(dataPath, url string) error {
	return os.WriteFile(dataPath+hubURLSuffix, []byte(url+"\n"), 0o600)
}

// remote is the flags of a command that can work through a hub.
type remote struct {
	server, fingerprint, deviceFile, user, secret *string
}

func remoteFlags(fs *flag.FlagSet) *remote {
	r := &remote{
		server:      fs.String("server", "", "the location's hub, https://HOST:PORT, instead of --db"),
		fingerprint: fs.String("fingerprint", "", "with --server on a device not paired: the SHA-256 fingerprint the hub printed when it started"),
		deviceFile:  fs.String("device-file", defaultDeviceFile(), "with --server: the file this device was paired into (locatiedesk pair)"),
		user:        fs.String("user", "", "who signs in (name)"),
		secret:      new(string),
	}
	fs.StringVar(r.secret, "pin", "", "with --user: their PIN or password")
	fs.StringVar(r.secret, "password", "", "with --user: their password or PIN")
	return r
}

// defaultDeviceFile is the window's device file; "" where there is no
// configuration folder.
func defaultDeviceFile() string {
	path, err := client.DefaultDeviceFile()
	if err != nil {
		return ""
	}
	return path
}

// openStore opens what the command works on: the hub given with --server,
// as the device paired into --device-file, or else the data file at path
// (or the hub that holds it, see openStore); signed in as --user if given.
func (r *remote) openStore(ctx context.Context, path string) (data.Store, error) {
	var s data.Store
	var err error
	if *r.server == "" {
		s, err = openStore(path)
	} else {
		var c *client.Client
		if c, err = r.dial(); err == nil {
			// Once a command: a hub added since the device paired is where
			// the next command goes on when this one is down. The command
			// itself says so when the hub does not answer.
			_ = c.LearnHubs(ctx)
			s = c
		}
	}
	if err != nil || *r.user == "" {
		return s, err
	}
	signed, err := signIn(ctx, s, *r.user, *r.secret)
	if err != nil {
		s.Close()
		return nil, err
	}
	return signed, nil
}

// dial connects to the hub of --server: as the paired device of
// --device-file, or, on a device not paired, trusting --fingerprint (the
// hub then answers nothing but who it is).
func (r *remote) dial() (*client.Client, error) {
	f, err := client.LoadDeviceFile(*r.deviceFile)
	switch {
	case err == nil:
		if strings.TrimRight(*r.server, "/") != f.URL {
			return nil, fmt.Errorf("this device is paired with %s, not %s: give the device file of that hub with --device-file, or pair again", f.URL, *r.server)
		}
		if *r.fingerprint != "" && fingerprintDigits(*r.fingerprint) != fingerprintDigits(f.Fingerprint) {
			return nil, fmt.Errorf("--fingerprint %s is not the one pinned when this device was paired (%s)", *r.fingerprint, f.Fingerprint)
		}
		return client.DialDevice(f, client.KeepDeviceFile(*r.deviceFile))
	case !errors.Is(err, client.ErrNoDeviceFile):
		return nil, err
	case *r.fingerprint == "":
		return nil, fmt.Errorf("this device is not paired with %s: pair it first (locatiedesk pair --server URL --code CODE), or give --device-file", *r.server)
	}
	return client.Dial(*r.server, *r.fingerprint)
}

// fingerprintDigits is a fingerprint without colons, spaces and case.
func fingerprintDigits(fp string) string {
	return strings.ToUpper(strings.NewReplacer(":", "", " ", "").Replace(fp))
}

// storeFlags is where a command finds the data it works on: the file of
// --db, the hub of --server, or the organisation's database of --store.
type storeFlags struct {
	db, store *string
	*remote
}

// newStoreFlags makes the flag set of a command that works with --db,
// --server or --store alike.
func newStoreFlags(name string) (*flag.FlagSet, *storeFlags) {
	fs, db := newFlags(name)
	return fs, &storeFlags{db: db, store: storeFlag(fs), remote: remoteFlags(fs)}
}

// storeFlag is --store, the organisation's PostgreSQL database.
func storeFlag(fs *flag.FlagSet) *string {
	return fs.String("store", "", "the organisation's PostgreSQL database, postgres://USER@HOST/DATABASE, instead of --db")
}

func (f *storeFlags) open(ctx context.Context) (data.Store, error) {
	if *f.store != "" {
		if f.viaServer() {
			return nil, errors.New("give either --store or --server, not both")
		}
		db, err := pgstore.Open(ctx, *f.store)
		if err != nil || *f.user == "" {
			return db, err
		}
		signed, err := signIn(ctx, db, *f.user, *f.secret)
		if err != nil {
			db.Close()
			return nil, err
		}
		return signed, nil
	}
	s, err := f.openStore(ctx, *f.db)
	if err == nil && f.viaServer() && *f.user == "" {
		// The hub answers nobody it does not know; the log names who did what.
		s.Close()
		return nil, errors.New("--server needs --user NAME and --pin PIN: the hub lets only people who sign in work on its data")
	}
	return s, err
}

// remote reports whether the command works through a hub named by --server.
func (f *storeFlags) viaServer() bool { return *f.server != "" }

// elsewhere reports whether the data is not a file on this computer: a
// hub's (--server) or the organisation's database (--store).
func (f *storeFlags) elsewhere() bool { return f.viaServer() || *f.store != "" }

// String names the data for messages: the file, the hub or the database.
func (f *storeFlags) String() string {
	if f.viaServer() {
		return *f.server
	}
	if *f.store != "" {
		return pgstore.Redact(*f.store)
	}
	return *f.db
}

// fileOnly are the commands that work on a data file itself, which a
// device reaches through a hub only one call at a time: why each refuses
// --server.
var fileOnly = map[string]string{
	"setup":    "setup starts a new data file: run it on the computer that will be the hub, then serve that file",
	"demo":     "demo fills a new data file: run it on the hub's computer, then serve that file",
	"generate": "generate fills a new data file: run it on the hub's computer, then serve that file",
	"restore":  "restore replaces the data file itself: stop the hub and run it on the hub's computer",
	"purge":    "purge compacts the data file itself: stop the hub and run it on the hub's computer (a window purges at every start), or give the organisation's database with --store",
	"serve":    "serve is the hub: give it the data file with --db",
}

// refuseServer says why command cannot work through a hub when it was
// given --server.
func refuseServer(command string, args []string) error {
	why, ok := fileOnly[command]
	if !ok {
		return nil
	}
	for _, a := range args {
		if name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && name == "server" {
			return fmt.Errorf("%s does not work through a hub (--server): %s", command, why)
		}
	}
	return nil
}

// signIn signs the person named in on s.
func signIn(ctx context.Context, s data.Store, name, secret string) (data.Store, error) {
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if strings.EqualFold(u.Name, name) {
			a, err := s.SignIn(ctx, u.ID, secret)
			if err != nil {
				return nil, err
			}
			return s.As(a), nil
		}
	}
	return nil, fmt.Errorf("%w: nobody called %q", data.ErrNotFound, name)
}

// hubOf is the hub that holds the data file at path, when one runs on this
// computer: its address, certificate and owner key lie beside the file.
func hubOf(path string) (data.Store, error) {
	url, err := os.ReadFile(path + hubURLSuffix)
	if err != nil {
		return nil, err
	}
	cert, err := hub.Certificate(path)
	if err != nil {
		return nil, err
	}
	key, err := hub.ReadOwnerKey(path)
	if err != nil {
		return nil, err
	}
	return client.Dial(strings.TrimSpace(string(url)), hub.Fingerprint(cert), client.WithOwnerKey(key))
}

// runWatch prints each change of the hub's feed as one line as it arrives,
// until Ctrl-C.
func runWatch(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dbPath := newFlags("watch")
	r := remoteFlags(fs)
	after := fs.Uint64("after", data.FeedLive, "start after this change number (0: from now on)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := r.openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer s.Close()
	lines := make(chan data.Change, 1024)
	cancel, err := s.Subscribe(ctx, *after, func(c data.Change) {
		select {
		case lines <- c:
		case <-ctx.Done():
		}
	})
	if err != nil {
		return err
	}
	defer cancel()
	for {
		select {
		case c := <-lines:
			fmt.Fprintln(stdout, changeLine(c))
		case <-ctx.Done():
			return nil
		}
	}
}

// changeLine is a change as one line: number, kind, and what it is about.
func changeLine(c data.Change) string {
	parts := []string{fmt.Sprintf("%d", c.Seq), string(c.Kind)}
	if !c.Date.IsZero() {
		parts = append(parts, c.Date.String())
	}
	if c.GroupID != 0 {
		parts = append(parts, fmt.Sprintf("group=%d", c.GroupID))
	}
	if c.ChildID != 0 {
		parts = append(parts, fmt.Sprintf("child=%d", c.ChildID))
	}
	if c.Detail != "" {
		parts = append(parts, c.Detail)
	}
	return strings.Join(parts, " ")
}

// backupThroughHub makes the backup of a data file a hub on this computer
// holds, through the hub; inUse is the error to give when no hub holds it.
func backupThroughHub(ctx context.Context, path, out string, inUse error, stdout io.Writer) error {
	viaHub, err := hubOf(path)
	if err != nil {
		return inUse
	}
	defer viaHub.Close()
	if err := boltstore.BackupFrom(ctx, viaHub, out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup of %s written to %s through its hub and verified\n", path, out)
	return nil
}
