package boltstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// The layout of a bbolt file (go.etcd.io/bbolt/internal/common), in the
// machine's byte order: every page starts with a 16-byte header (id,
// flags, element count, overflow pages); branch and leaf pages follow it
// with 16-byte elements that point at their keys and values.
const (
	pageHeaderSize   = 16
	pageElementSize  = 16
	bucketHeaderSize = 16 // a bucket's value: root page id, sequence
	branchPage       = 0x01
	leafPage         = 0x02
	metaPage         = 0x04
	freelistPage     = 0x10
	bucketLeafFlag   = 0x01
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	noFreelist       = ^uint64(0)
)

// boltMeta is the part of a meta page the walk needs.
type boltMeta struct {
	pageSize  int64
	root      uint64
	freelist  uint64
	highWater uint64 // pages below it are in use or free
	txid      uint64
}

// walkPages checks a data file's page structure by reading the file itself,
// before bbolt maps it: bbolt trusts its page pointers, and a damaged one
// makes it panic, read outside the file, or recurse without end (a page
// that points back at its parent). Every page must lie inside the file, be
// referenced once, have the type its parent expects and hold its elements
// inside its own bytes, with keys in order; the freelist likewise. It reads
// each page once, so it ends on any file, whatever the damage.
func walkPages(f *os.File) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	meta, err := readMeta(f)
	if err != nil {
		return err
	}
	if need := int64(meta.highWater) * meta.pageSize; info.Size() < need {
		return fmt.Errorf("the file is cut off (%d of %d bytes)", info.Size(), need)
	}
	w := pageWalker{f: f, meta: meta, seen: make([]bool, meta.highWater)}
	w.seen[0], w.seen[1] = true, true
	if err := w.tree(meta.root); err != nil {
		return err
	}
	return w.freelist()
}

// checkOpenable checks what bbolt reads when it opens a file, the meta
// pages and the freelist, so that opening a damaged file fails with an
// error: a panic inside bbolt's Open would leave the file open and locked.
func checkOpenable(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	meta, err := readMeta(f)
	if err != nil {
		return err
	}
	w := pageWalker{f: f, meta: meta, seen: make([]bool, meta.highWater)}
	return w.freelist()
}

// readMeta picks the meta page bbolt would use: the valid one with the
// higher transaction id.
func readMeta(f *os.File) (boltMeta, error) {
	first, err0 := readMetaAt(f, 0)
	pageSize := int64(os.Getpagesize())
	if err0 == nil {
		pageSize = first.pageSize
	}
	second, err1 := readMetaAt(f, pageSize)
	switch {
	case errors.Is(err0, errNotBolt) && errors.Is(err1, errNotBolt):
		return boltMeta{}, errNotBolt
	case err0 != nil && err1 != nil:
		return boltMeta{}, fmt.Errorf("both meta pages are damaged: %v", err0)
	case err0 != nil:
		return second, nil
	case err1 != nil || first.txid >= second.txid:
		return first, nil
	}
	return second, nil
}

// errNotBolt: the file is no bbolt file at all (not damaged: another kind of file).
var errNotBolt = errors.New("not a data file")

func readMetaAt(f *os.File, offset int64) (boltMeta, error) {
	page := make([]byte, pageHeaderSize+64)
	if _, err := f.ReadAt(page, offset); err != nil {
		return boltMeta{}, errNotBolt
	}
	m := page[pageHeaderSize:]
	u32 := func(at int) uint32 { return binary.NativeEndian.Uint32(m[at:]) }
	u64 := func(at int) uint64 { return binary.NativeEndian.Uint64(m[at:]) }
	if u32(0) != boltMagic {
		return boltMeta{}, errNotBolt
	}
	sum := fnv.New64a()
	sum.Write(m[:56])
	if u32(4) != boltVersion || u64(56) != sum.Sum64() {
		return boltMeta{}, fmt.Errorf("meta page at %d is damaged", offset)
	}
	meta := boltMeta{pageSize: int64(u32(8)), root: u64(16), freelist: u64(32), highWater: u64(40), txid: u64(48)}
	if meta.pageSize < 512 || meta.pageSize > 1<<20 || meta.pageSize&(meta.pageSize-1) != 0 || meta.highWater < 2 {
		return boltMeta{}, fmt.Errorf("meta page at %d is damaged", offset)
	}
	return meta, nil
}

type pageWalker struct {
	f    *os.File
	meta boltMeta
	seen []bool
}

// page reads page id with its overflow pages and marks them seen.
func (w *pageWalker) page(id uint64, wantFlags uint16) (span []byte, count int, err error) {
	if id < 2 || id >= w.meta.highWater {
		return nil, 0, fmt.Errorf("page %d lies outside the file", id)
	}
	header := make([]byte, pageHeaderSize)
	if _, err := w.f.ReadAt(header, int64(id)*w.meta.pageSize); err != nil {
		return nil, 0, fmt.Errorf("page %d: %w", id, err)
	}
	flags := binary.NativeEndian.Uint16(header[8:])
	overflow := uint64(binary.NativeEndian.Uint32(header[12:]))
	switch {
	case binary.NativeEndian.Uint64(header) != id:
		return nil, 0, fmt.Errorf("page %d is marked as page %d", id, binary.NativeEndian.Uint64(header))
	case flags&wantFlags == 0 || flags&^(branchPage|leafPage|metaPage|freelistPage) != 0:
		return nil, 0, fmt.Errorf("page %d has the wrong type (%#x)", id, flags)
	case overflow >= w.meta.highWater-id:
		return nil, 0, fmt.Errorf("page %d runs past the end of the file", id)
	}
	for p := id; p <= id+overflow; p++ {
		if w.seen[p] {
			return nil, 0, fmt.Errorf("page %d is used twice", p)
		}
		w.seen[p] = true
	}
	span = make([]byte, int64(overflow+1)*w.meta.pageSize)
	if _, err := w.f.ReadAt(span, int64(id)*w.meta.pageSize); err != nil && err != io.EOF {
		return nil, 0, fmt.Errorf("page %d: %w", id, err)
	}
	return span, int(binary.NativeEndian.Uint16(header[10:])), nil
}

// tree checks the bucket whose root is page root, and every bucket in it.
func (w *pageWalker) tree(root uint64) error {
	pending := []uint64{root}
	for len(pending) > 0 {
		id := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		span, count, err := w.page(id, branchPage|leafPage)
		if err != nil {
			return err
		}
		if binary.NativeEndian.Uint16(span[8:])&branchPage != 0 {
			children, err := branchChildren(span, count)
			if err != nil {
				return fmt.Errorf("page %d: %w", id, err)
			}
			pending = append(pending, children...)
			continue
		}
		roots, err := leafBuckets(span, count, 0)
		if err != nil {
			return fmt.Errorf("page %d: %w", id, err)
		}
		pending = append(pending, roots...)
	}
	return nil
}

// element returns the key and value that element i of a page points at,
// refusing pointers outside the page.
func element(page []byte, i int, leaf bool) (key, value []byte, flags uint32, child uint64, err error) {
	at := pageHeaderSize + i*pageElementSize
	if at+pageElementSize > len(page) {
		return nil, nil, 0, 0, fmt.Errorf("element %d lies outside the page", i)
	}
	e := page[at : at+pageElementSize]
	var pos, ksize, vsize uint64
	if leaf {
		flags = binary.NativeEndian.Uint32(e)
		pos, ksize, vsize = uint64(binary.NativeEndian.Uint32(e[4:])), uint64(binary.NativeEndian.Uint32(e[8:])), uint64(binary.NativeEndian.Uint32(e[12:]))
	} else {
		pos, ksize = uint64(binary.NativeEndian.Uint32(e)), uint64(binary.NativeEndian.Uint32(e[4:]))
		child = binary.NativeEndian.Uint64(e[8:])
	}
	start := uint64(at) + pos
	if pos < pageElementSize || start+ksize+vsize > uint64(len(page)) {
		return nil, nil, 0, 0, fmt.Errorf("element %d points outside the page", i)
	}
	return page[start : start+ksize], page[start+ksize : start+ksize+vsize], flags, child, nil
}

func branchChildren(page []byte, count int) ([]uint64, error) {
	if count == 0 {
		return nil, fmt.Errorf("an empty branch page")
	}
	var prev []byte
	children := make([]uint64, 0, count)
	for i := range count {
		key, _, _, child, err := element(page, i, false)
		if err != nil {
			return nil, err
		}
		if i > 0 && bytes.Compare(prev, key) >= 0 {
			return nil, fmt.Errorf("keys out of order at element %d", i)
		}
		prev = key
		children = append(children, child)
	}
	return children, nil
}

// leafBuckets checks a leaf page's elements and returns the root pages of
// the buckets it holds; a small bucket is stored inline, as a page inside
// its value, and is checked here.
func leafBuckets(page []byte, count, depth int) ([]uint64, error) {
	if depth > 64 {
		return nil, fmt.Errorf("buckets nested too deep")
	}
	var prev []byte
	var roots []uint64
	for i := range count {
		key, value, flags, _, err := element(page, i, true)
		if err != nil {
			return nil, err
		}
		if i > 0 && bytes.Compare(prev, key) >= 0 {
			return nil, fmt.Errorf("keys out of order at element %d", i)
		}
		prev = key
		if flags&^bucketLeafFlag != 0 {
			return nil, fmt.Errorf("element %d has unknown flags %#x", i, flags)
		}
		if flags&bucketLeafFlag == 0 {
			continue
		}
		if len(value) < bucketHeaderSize {
			return nil, fmt.Errorf("bucket %q is cut off", key)
		}
		if root := binary.NativeEndian.Uint64(value); root != 0 {
			roots = append(roots, root)
			continue
		}
		inline := value[bucketHeaderSize:]
		if len(inline) < pageHeaderSize || binary.NativeEndian.Uint16(inline[8:]) != leafPage {
			return nil, fmt.Errorf("bucket %q is damaged", key)
		}
		nested, err := leafBuckets(inline, int(binary.NativeEndian.Uint16(inline[10:])), depth+1)
		if err != nil {
			return nil, fmt.Errorf("bucket %q: %w", key, err)
		}
		roots = append(roots, nested...)
	}
	return roots, nil
}

// freelist checks the list of free pages: inside the file, none in use.
func (w *pageWalker) freelist() error {
	if w.meta.freelist == noFreelist {
		return nil
	}
	span, count, err := w.page(w.meta.freelist, freelistPage)
	if err != nil {
		return fmt.Errorf("freelist: %w", err)
	}
	at := pageHeaderSize
	if count == 0xFFFF { // the real count is the first element
		count64 := binary.NativeEndian.Uint64(span[at:])
		if count64 > uint64(len(span)/8) {
			return fmt.Errorf("freelist: page %d is damaged", w.meta.freelist)
		}
		count, at = int(count64), at+8
	}
	if at+count*8 > len(span) {
		return fmt.Errorf("freelist: page %d is damaged", w.meta.freelist)
	}
	for i := range count {
		id := binary.NativeEndian.Uint64(span[at+i*8:])
		if id < 2 || id >= w.meta.highWater || w.seen[id] {
			return fmt.Errorf("freelist: page %d is free and in use, or outside the file", id)
		}
		w.seen[id] = true
	}
	return nil
}
