package outbox

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"locatiedesk/data"
	"locatiedesk/hub/wire"
)

// The outbox file, one small bbolt file per device:
//
//	meta     version            uint64 (schemaVersion)
//	         clock              clockJSON: when the hub last answered, and its clock's offset
//	outbox   <seq>              keptJSON: an action to send, in the order made (NextSequence)
//	refused  <seq>              refusedJSON: an action the hub refused, until dismissed
//	cache    <method/args>      cacheJSON: the hub's last answer to a read
//	people   <user id>          personJSON: who signed in here, with a hash of their PIN
var (
	bucketMeta    = []byte("meta")
	bucketOutbox  = []byte("outbox")
	bucketRefused = []byte("refused")
	bucketCache   = []byte("cache")
	bucketPeople  = []byte("people")
	keyVersion    = []byte("version")
	keyClock      = []byte("clock")
	allBuckets    = [][]byte{bucketMeta, bucketOutbox, bucketRefused, bucketCache, bucketPeople}
)

const schemaVersion = 1

type file struct {
	path string
	db   *bolt.DB
}

// keptJSON is one kept action: what, on whose list, by whom, with the key
// the hub knows it by so that it is applied once however often it is sent.
type keptJSON struct {
	Action data.KeptAction `json:"action"`
	Key    string          `json:"key"`
	Actor  data.Actor      `json:"actor"`
	// Edit is the list and child; it never holds an unlock (only today's
	// list is edited without connection).
	Edit   data.DayEdit       `json:"edit"`
	At     *data.Clock        `json:"at,omitempty"`
	In     *data.Clock        `json:"in,omitempty"`
	Out    *data.Clock        `json:"out,omitempty"`
	Reason data.AbsenceReason `json:"reason,omitempty"`
	Text   string             `json:"text,omitempty"`
	Child  string             `json:"child,omitempty"`
	Made   time.Time          `json:"made"`
}

type refusedJSON struct {
	Kept   keptJSON        `json:"kept"`
	Detail string          `json:"detail,omitempty"`
	Err    *wire.ErrorJSON `json:"err"`
}

type cacheJSON struct {
	At    time.Time       `json:"at"`
	Value json.RawMessage `json:"value"`
}

type clockJSON struct {
	Heard  time.Time     `json:"heard"`
	Offset time.Duration `json:"offset"`
}

// personJSON lets a person who signed in on this device before sign in
// without connection: the hub's answer then, and a bcrypt hash of the PIN
// or password they gave (the hub never sends its own hashes).
type personJSON struct {
	Actor data.Actor `json:"actor"`
	Hash  []byte     `json:"hash"`
}

// openFile opens or creates the file and checks it whole: it is small, and
// a damaged outbox must be found before it loses what it keeps.
func openFile(path string) (*file, error) {
	var f *file
	err := guardPages(path, func() error {
		db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		switch {
		case errors.Is(err, berrors.ErrTimeout):
			return fmt.Errorf("another copy of Locatiedesk has the outbox %s open", path)
		case err != nil:
			if _, statErr := os.Stat(path); statErr == nil {
				return damaged(path, err)
			}
			return fmt.Errorf("open the outbox %s: %w", path, err)
		}
		f = &file{path: path, db: db}
		err = db.Update(func(tx *bolt.Tx) error {
			var problems []string
			for err := range tx.Check() {
				problems = append(problems, err.Error())
			}
			if len(problems) > 0 {
				return damaged(path, errors.New(strings.Join(problems, "; ")))
			}
			meta := tx.Bucket(bucketMeta)
			if meta != nil {
				if v := meta.Get(keyVersion); len(v) != 8 || binary.BigEndian.Uint64(v) != schemaVersion {
					return damaged(path, fmt.Errorf("schema %x, this build knows %d", v, schemaVersion))
				}
			}
			for _, b := range allBuckets {
				if _, err := tx.CreateBucketIfNotExists(b); err != nil {
					return err
				}
			}
			return tx.Bucket(bucketMeta).Put(keyVersion, binary.BigEndian.AppendUint64(nil, schemaVersion))
		})
		if err == nil {
			err = f.decodeAll()
		}
		if err != nil {
			db.Close()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// damaged says which file is damaged and what to do: what it kept and did
// not send cannot be read back.
func damaged(path string, detail error) error {
	return fmt.Errorf("%w: the outbox %s is damaged (%v); close Locatiedesk, move the file aside and start again (check-ins made without connection that it held must be entered again)",
		data.ErrDamaged, path, detail)
}

// guardPages turns a panic of bbolt on a damaged page into an error.
func guardPages(path string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = damaged(path, fmt.Errorf("%v", p))
		}
	}()
	return fn()
}

// decodeAll reads every kept action and refusal once, so that a damaged
// record is found at Open rather than when it is sent.
func (f *file) decodeAll() error {
	return f.db.View(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketOutbox, bucketRefused} {
			err := tx.Bucket(b).ForEach(func(k, v []byte) error {
				var err error
				if string(b) == string(bucketOutbox) {
					err = json.Unmarshal(v, new(keptJSON))
				} else {
					err = json.Unmarshal(v, new(refusedJSON))
				}
				if err != nil || len(k) != 8 {
					return damaged(f.path, fmt.Errorf("%s record %x: %v", b, k, err))
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func (f *file) close() error { return f.db.Close() }

func (f *file) view(fn func(*bolt.Tx) error) error {
	return guardPages(f.path, func() error { return f.db.View(fn) })
}

func (f *file) update(fn func(*bolt.Tx) error) error {
	return guardPages(f.path, func() error { return f.db.Update(fn) })
}

func seqKey(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// add keeps an action; bbolt syncs the file before Update returns, so an
// action the screen was told is kept survives a crash or a flat battery.
func (f *file) add(k keptJSON) error {
	b, err := json.Marshal(k)
	if err != nil {
		return err
	}
	return f.update(func(tx *bolt.Tx) error {
		out := tx.Bucket(bucketOutbox)
		n, err := out.NextSequence()
		if err != nil {
			return err
		}
		return out.Put(seqKey(n), b)
	})
}

type keptItem struct {
	seq uint64
	keptJSON
}

// all is every kept action, in the order made.
func (f *file) all() ([]keptItem, error) {
	var items []keptItem
	err := f.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
			var it keptItem
			if err := json.Unmarshal(v, &it.keptJSON); err != nil {
				return damaged(f.path, err)
			}
			it.seq = binary.BigEndian.Uint64(k)
			it.Edit.Unlock = nil
			items = append(items, it)
			return nil
		})
	})
	return items, err
}

// first is the oldest kept action, if any.
func (f *file) first() (keptItem, bool, error) {
	var it keptItem
	var ok bool
	err := f.view(func(tx *bolt.Tx) error {
		k, v := tx.Bucket(bucketOutbox).Cursor().First()
		if k == nil {
			return nil
		}
		if err := json.Unmarshal(v, &it.keptJSON); err != nil {
			return damaged(f.path, err)
		}
		it.seq, ok = binary.BigEndian.Uint64(k), true
		it.Edit.Unlock = nil
		return nil
	})
	return it, ok, err
}

// sent removes an action the hub applied.
func (f *file) sent(seq uint64) error {
	return f.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketOutbox).Delete(seqKey(seq)) })
}

// refuse moves an action the hub refused to the refused list, in one
// transaction: it is in one list or the other, never in neither.
func (f *file) refuse(it keptItem, detail string, refusal error) error {
	b, err := json.Marshal(refusedJSON{Kept: it.keptJSON, Detail: detail, Err: wire.EncodeError(refusal)})
	if err != nil {
		return err
	}
	return f.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketRefused).Put(seqKey(it.seq), b); err != nil {
			return err
		}
		return tx.Bucket(bucketOutbox).Delete(seqKey(it.seq))
	})
}

func (f *file) pending() int {
	n := 0
	f.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketOutbox).Stats().KeyN
		return nil
	})
	return n
}

func (f *file) refused() []data.RefusedAction {
	var out []data.RefusedAction
	f.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketRefused).ForEach(func(k, v []byte) error {
			var r refusedJSON
			if json.Unmarshal(v, &r) != nil {
				return nil // found at Open; a record cannot go bad while open
			}
			out = append(out, data.RefusedAction{
				ID: binary.BigEndian.Uint64(k), Action: r.Kept.Action, Child: r.Kept.Child,
				ChildID: r.Kept.Edit.ChildID, GroupID: r.Kept.Edit.GroupID, Date: r.Kept.Edit.Date,
				Detail: r.Detail, By: r.Kept.Actor.Name, At: r.Kept.Made, Err: r.Err.Err(),
			})
			return nil
		})
	})
	return out
}

func (f *file) dismiss(id uint64) error {
	return f.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketRefused).Delete(seqKey(id)) })
}

func cacheKey(method string, args ...any) string {
	b, _ := json.Marshal(args)
	return method + string(b)
}

// keep stores the hub's answer to a read, as of now.
func (f *file) keep(key string, v any) error { return f.keepAt(key, v, time.Now()) }

// keepAt stores the hub's answer to a read made at at.
func (f *file) keepAt(key string, v any, at time.Time) error {
	value, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b, err := json.Marshal(cacheJSON{At: at, Value: value})
	if err != nil {
		return err
	}
	// A screen reads its list again on every change: a list that did not
	// change costs no write (and no fsync) of the file.
	var same bool
	f.view(func(tx *bolt.Tx) error {
		var old cacheJSON
		if raw := tx.Bucket(bucketCache).Get([]byte(key)); raw != nil && json.Unmarshal(raw, &old) == nil {
			same = bytes.Equal(old.Value, value) && at.Sub(old.At) < time.Minute
		}
		return nil
	})
	if same {
		return nil
	}
	return f.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketCache).Put([]byte(key), b) })
}

// kept reads the answer kept under key into v, with when it came.
func (f *file) kept(key string, v any) (time.Time, bool, error) {
	var at time.Time
	var ok bool
	err := f.view(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketCache).Get([]byte(key))
		if raw == nil {
			return nil
		}
		var c cacheJSON
		if err := json.Unmarshal(raw, &c); err != nil {
			return damaged(f.path, err)
		}
		if err := json.Unmarshal(c.Value, v); err != nil {
			return damaged(f.path, err)
		}
		at, ok = c.At, true
		return nil
	})
	return at, ok, err
}

// keptWithPrefix calls fn with every kept answer whose key starts with prefix.
func (f *file) keptWithPrefix(prefix string, fn func(at time.Time, value json.RawMessage) error) error {
	return f.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketCache).Cursor()
		for k, v := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k, v = c.Next() {
			var kept cacheJSON
			if err := json.Unmarshal(v, &kept); err != nil {
				return damaged(f.path, err)
			}
			if err := fn(kept.At, kept.Value); err != nil {
				return err
			}
		}
		return nil
	})
}

func (f *file) setClock(heard time.Time, offset time.Duration) error {
	b, _ := json.Marshal(clockJSON{Heard: heard, Offset: offset})
	return f.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyClock, b) })
}

func (f *file) clock() (time.Time, time.Duration, bool) {
	var c clockJSON
	var ok bool
	f.view(func(tx *bolt.Tx) error {
		if raw := tx.Bucket(bucketMeta).Get(keyClock); raw != nil {
			ok = json.Unmarshal(raw, &c) == nil
		}
		return nil
	})
	return c.Heard, c.Offset, ok
}

func (f *file) person(id data.ID) (personJSON, bool) {
	var p personJSON
	var ok bool
	f.view(func(tx *bolt.Tx) error {
		if raw := tx.Bucket(bucketPeople).Get(seqKey(uint64(id))); raw != nil {
			ok = json.Unmarshal(raw, &p) == nil
		}
		return nil
	})
	return p, ok
}

func (f *file) setPerson(p personJSON) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return f.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketPeople).Put(seqKey(uint64(p.Actor.UserID)), b) })
}

func (f *file) forgetPerson(id data.ID) error {
	return f.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketPeople).Delete(seqKey(uint64(id))) })
}

// forgetListsBefore removes the kept day lists of dates before d: a tablet
// keeps the days it may still show without connection, not every day it
// ever showed.
func (f *file) forgetListsBefore(d data.Date) error {
	return f.update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketCache).Cursor()
		prefix := []byte("DayList[")
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); {
			var kept cacheJSON
			var l struct{ Date data.Date }
			if json.Unmarshal(v, &kept) == nil && json.Unmarshal(kept.Value, &l) == nil && !l.Date.Before(d) {
				k, v = c.Next()
				continue
			}
			key := append([]byte(nil), k...) // k is the page's, gone with the delete
			if err := c.Delete(); err != nil {
				return err
			}
			k, v = c.Seek(key) // the next key, whatever Delete left the cursor on
		}
		return nil
	})
}
