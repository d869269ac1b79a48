package data

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // a child's picture may be JPEG
	_ "image/png"  // or PNG
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// MaxPictureBytes caps a child's picture: a portrait for a list, not a photo album.
const MaxPictureBytes = 2 << 20

// bucketChildrenByNumber indexes children by their planning-system number
// (M1): a re-import finds each line's child without reading every child.
var bucketChildrenByNumber = []byte("children-by-number")

// ValidateChild checks a child's own fields on today: a name, a birth date
// that is not in the future, and a planning-system number without spaces
// around it. The store checks location, school and the number's uniqueness.
func ValidateChild(c Child, today Date) error {
	switch {
	case strings.TrimSpace(c.FirstName) == "" || strings.TrimSpace(c.LastName) == "":
		return invalid("a child needs a first and a last name")
	case c.BirthDate.IsZero():
		return invalid("%s needs a birth date", c.Name())
	case c.BirthDate.After(today):
		return invalid("birth date %s of %s is in the future", c.BirthDate, c.Name())
	case c.Number != strings.TrimSpace(c.Number):
		return invalid("child number %q has spaces around it", c.Number)
	}
	for _, p := range c.Contacts {
		if strings.TrimSpace(p.Name) == "" {
			return invalid("every contact of %s needs a name", c.Name())
		}
	}
	return nil
}

// ValidatePicture accepts PNG or JPEG of at most MaxPictureBytes; it reads
// the image's header, so a file merely named .png is refused.
func ValidatePicture(img []byte) error {
	if len(img) > MaxPictureBytes {
		return invalid("the picture is %d kB; at most %d kB", len(img)>>10, MaxPictureBytes>>10)
	}
	_, format, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil || (format != "png" && format != "jpeg") {
		return invalid("the picture is not a PNG or JPEG image")
	}
	return nil
}

// AddChild stores a new child at its location and returns it with its ID.
func (db *DB) AddChild(c Child) (Child, error) {
	c.Number = strings.TrimSpace(c.Number)
	if err := ValidateChild(c, db.Today()); err != nil {
		return Child{}, err
	}
	if len(c.Picture) > 0 {
		if err := ValidatePicture(c.Picture); err != nil {
			return Child{}, err
		}
	}
	err := db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if err := db.allow(tx, ActContracts, c.LocationID, 0); err != nil {
			return err
		}
		seq, err := tx.Bucket(bucketChildren).NextSequence()
		if err != nil {
			return err
		}
		c.ID = ID(seq)
		if err := putChild(tx, c, Child{}); err != nil {
			return err
		}
		if len(c.Picture) > 0 {
			if err := tx.Bucket(bucketPictures).Put(idKey(c.ID), c.Picture); err != nil {
				return err
			}
		}
		*changed = append(*changed, Change{Kind: ChangeCatalog, ChildID: c.ID, Detail: "child " + c.Name() + " added"})
		return nil
	})
	if err != nil {
		return Child{}, err
	}
	return c, nil
}

// UpdateChild changes a child's name, birth date, school, number and
// contacts. The picture has its own call (SetChildPicture); the location
// follows the child's group (MoveChild).
func (db *DB) UpdateChild(c Child) error {
	c.Number = strings.TrimSpace(c.Number)
	if err := ValidateChild(c, db.Today()); err != nil {
		return err
	}
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		old, err := getJSON[Child](tx.Bucket(bucketChildren), idKey(c.ID))
		if err != nil {
			return fmt.Errorf("child %d: %w", c.ID, err)
		}
		if !old.RemovedOn.IsZero() {
			return invalid("the personal data of child %d were removed; it cannot be changed", c.ID)
		}
		if err := db.allow(tx, ActContracts, old.LocationID, 0); err != nil {
			return err
		}
		c.LocationID, c.Picture, c.RemovedOn = old.LocationID, nil, Date{}
		if err := putChild(tx, c, old); err != nil {
			return err
		}
		*changed = append(*changed, Change{Kind: ChangeCatalog, ChildID: c.ID, Detail: "child " + c.Name() + " changed"})
		return nil
	})
}

// putChild writes a child (without picture) and keeps the location and
// number indexes in step; old is the child as stored before (zero for a new one).
func putChild(tx *bolt.Tx, c Child, old Child) error {
	if tx.Bucket(bucketLocations).Get(idKey(c.LocationID)) == nil {
		return invalid("child %s: unknown location %d", c.Name(), c.LocationID)
	}
	if c.SchoolID != 0 && tx.Bucket(bucketSchools).Get(idKey(c.SchoolID)) == nil {
		return invalid("child %s: unknown school %d", c.Name(), c.SchoolID)
	}
	numbers := tx.Bucket(bucketChildrenByNumber)
	if c.Number != old.Number {
		if c.Number != "" {
			if owner := numbers.Get([]byte(c.Number)); owner != nil && ID(btoi(owner)) != c.ID {
				return invalid("child number %s belongs to another child already", c.Number)
			}
			if err := numbers.Put([]byte(c.Number), idKey(c.ID)); err != nil {
				return err
			}
		}
		if old.Number != "" {
			if err := numbers.Delete([]byte(old.Number)); err != nil {
				return err
			}
		}
	}
	if old.ID != 0 && old.LocationID != c.LocationID {
		if idx := nested(tx.Bucket(bucketChildrenByLocation), idKey(old.LocationID)); idx != nil {
			if err := idx.Delete(idKey(c.ID)); err != nil {
				return err
			}
		}
	}
	c.Picture = nil
	if err := putJSON(tx.Bucket(bucketChildren), idKey(c.ID), c); err != nil {
		return err
	}
	return indexChildByLocation(tx, c)
}

// SetChildPicture stores a child's PNG or JPEG portrait; nil removes it.
func (db *DB) SetChildPicture(childID ID, img []byte) error {
	if img != nil {
		if err := ValidatePicture(img); err != nil {
			return err
		}
	}
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		c, err := getJSON[Child](tx.Bucket(bucketChildren), idKey(childID))
		if err != nil {
			return fmt.Errorf("child %d: %w", childID, err)
		}
		if err := db.allow(tx, ActContracts, c.LocationID, 0); err != nil {
			return err
		}
		*changed = append(*changed, Change{Kind: ChangeCatalog, ChildID: childID, Detail: "picture of " + c.Name() + " changed"})
		if img == nil {
			return tx.Bucket(bucketPictures).Delete(idKey(childID))
		}
		return tx.Bucket(bucketPictures).Put(idKey(childID), img)
	})
}

// ChildByNumber finds a child by its planning-system number.
func (db *DB) ChildByNumber(number string) (Child, error) {
	var c Child
	err := db.view(func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketChildrenByNumber).Get([]byte(strings.TrimSpace(number)))
		if id == nil {
			return fmt.Errorf("child number %q: %w", number, ErrNotFound)
		}
		var err error
		c, err = readChild(tx, ID(btoi(id)))
		return err
	})
	return c, err
}

// migrateChildrenByNumber adds the number index and fills it from the
// children stored so far (numbers came with the planning-system import).
func migrateChildrenByNumber(tx *bolt.Tx) error {
	numbers, err := tx.CreateBucketIfNotExists(bucketChildrenByNumber)
	if err != nil {
		return err
	}
	children, err := allJSON[Child](tx.Bucket(bucketChildren))
	if err != nil {
		return err
	}
	for _, c := range children {
		if c.Number == "" {
			continue
		}
		if owner := numbers.Get([]byte(c.Number)); owner != nil && ID(btoi(owner)) != c.ID {
			return fmt.Errorf("child number %s is used by two children", c.Number)
		}
		if err := numbers.Put([]byte(c.Number), idKey(c.ID)); err != nil {
			return err
		}
	}
	return nil
}

// creditOnly reports whether a product gives credit instead of fixed days.
func creditOnly(p Product) bool { return p == ProductBSOHoliday || p == ProductQflexibel }

// ValidateContract checks a contract against the group it is for: a known
// product the group's care type sells (KDV groups: daycare and Qflexibel;
// BSO groups: school weeks, 52 weeks and holiday contracts), an end not
// before the start, and per product what it needs: care products at least
// one weekday, each once and with care ending after it starts; credit
// products no weekdays or times but a positive credit of their own kind.
func ValidateContract(c Contract, g Group) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if g.ID == 0 || c.GroupID != g.ID {
		return invalid("contract for group %d checked against group %d", c.GroupID, g.ID)
	}
	if careOf(c.Product) != g.Care {
		return invalid("product %s is not sold in %s group %q", c.Product, g.Care, g.Name)
	}
	switch {
	case c.CreditDays < 0 || c.CreditHours < 0:
		return invalid("holiday days and flexible hours cannot be negative")
	case creditOnly(c.Product) && len(c.Days) > 0:
		return invalid("a %s contract gives credit, not weekdays with times", c.Product)
	case c.Product == ProductBSOHoliday && (c.CreditDays == 0 || c.CreditHours != 0):
		return invalid("a holiday contract gives a number of holiday days, no hours")
	case c.Product == ProductQflexibel && (c.CreditHours == 0 || c.CreditDays != 0):
		return invalid("a Qflexibel contract gives a number of hours, no holiday days")
	case !creditOnly(c.Product) && len(c.Days) == 0:
		return invalid("a %s contract needs at least one weekday", c.Product)
	case !creditOnly(c.Product) && (c.CreditDays != 0 || c.CreditHours != 0):
		return invalid("a %s contract gives care on weekdays, not credit", c.Product)
	}
	seen := map[int]bool{}
	for _, d := range c.Days {
		if d.Weekday < 0 || d.Weekday > 6 || seen[int(d.Weekday)] {
			return invalid("weekday %d appears twice or does not exist", d.Weekday)
		}
		seen[int(d.Weekday)] = true
	}
	return nil
}

// ContractsOverlap reports whether two contracts of one child collide: they
// run on a common day and either give care on a common weekday, or give the
// same credit, or one is a holiday contract beside a 52-weeks contract
// (which covers the holidays already). Daycare beside Qflexibel, or school
// weeks beside a holiday contract, do not collide.
func ContractsOverlap(a, b Contract) bool {
	end := b.End
	if end.IsZero() {
		end = maxDate
	}
	if a.ChildID != b.ChildID || !overlaps(a, b.Start, end) {
		return false
	}
	if creditOnly(a.Product) && a.Product == b.Product {
		return true
	}
	pair := []Product{a.Product, b.Product}
	if slices.Contains(pair, ProductBSOHoliday) && slices.Contains(pair, ProductBSO52Weeks) {
		return true
	}
	for _, x := range a.Days {
		for _, y := range b.Days {
			if x.Weekday == y.Weekday {
				return true
			}
		}
	}
	return false
}
