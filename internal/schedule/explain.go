package schedule

import (
	"fmt"
	"strings"
)

// polish improves secondary preferences without changing which workshops
// are assigned: smaller free rooms, facilitators carrying the workshop's
// commitments or sharing its topics, and a more even load.
func (s *state) polish() {
	m := s.m
	for w := int32(0); w < int32(m.n); w++ {
		if !s.in[w] {
			continue
		}
		if m.pinRoom[w] < 0 {
			for _, r := range m.roomCands[w] {
				if r == s.room[w] {
					break
				}
				if s.roomFree(r, w) {
					s.rawSetRoom(w, r)
					break
				}
			}
		}
		for k := 0; k < len(s.facs[w]); k++ {
			p := s.facs[w][k]
			if s.isPinned(w, p) {
				continue
			}
			sp := s.score(w, p)
			for i, q := range m.facCands[w] {
				sq := m.facScore[w][i]
				if sq < sp {
					break
				}
				if q == p || s.hasFac(w, q) {
					continue
				}
				if (sq > sp || len(s.facUse[q])+1 < len(s.facUse[p])) && s.facFree(q, w) {
					s.rawRemFac(w, p)
					s.rawAddFac(w, q)
					k = -1 // facs[w] was reordered: rescan
					break
				}
			}
		}
	}
}

// score returns the preference score of p for w.
func (s *state) score(w, p int32) int8 {
	for i, q := range s.m.facCands[w] {
		if q == p {
			return s.m.facScore[w][i]
		}
	}
	return 0
}

// roomFree reports whether r can take w without moving anything.
func (s *state) roomFree(r, w int32) bool {
	for _, u := range s.roomUse[r] {
		if u != w && s.m.overlap(u, w) {
			return false
		}
	}
	return true
}

// facFree reports whether p can lead w without moving anything.
func (s *state) facFree(p, w int32) bool {
	for _, u := range s.facUse[p] {
		if u != w && s.m.overlap(u, w) {
			return false
		}
	}
	return s.dayLoad[int(p)*s.m.nDays+int(s.m.day[w])] < s.m.mpd
}

// reason explains in French why w is not fully assigned.
func (s *state) reason(w int32) string {
	m := s.m
	if m.static[w] != "" {
		return m.static[w]
	}
	ws := &m.inst.Workshops[w]
	var parts []string
	pr := s.probe(w)
	if !pr.roomOK {
		if r := m.pinRoom[w]; r >= 0 {
			holder := ""
			for _, u := range s.roomUse[r] {
				if m.overlap(u, w) {
					holder = m.inst.Workshops[u].ID
					break
				}
			}
			parts = append(parts, fmt.Sprintf("la salle imposée %s est déjà attribuée à l'atelier %s à %s",
				roomLabel(&m.inst.Rooms[r]), holder, frenchClock(ws.Start)))
		} else {
			parts = append(parts, noRoom(ws.Capacity, ws.Start))
		}
	}
	if !pr.facOK {
		for _, p := range pr.pinFailed {
			parts = append(parts, s.pinnedBusy(w, p))
		}
		if lack := int(m.need[w]) - len(m.pinFac[w]) - pr.freeGot; lack > 0 {
			parts = append(parts, missingFacilitators(lack, ws.Start))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "conflit avec d'autres ateliers déjà planifiés "+frenchWhen(ws.Start))
	}
	return strings.Join(parts, " ; ")
}

// pinnedBusy explains why the pinned facilitator p cannot lead w.
func (s *state) pinnedBusy(w, p int32) string {
	m := s.m
	name := personLabel(&m.inst.Facilitators[p])
	for _, u := range s.facUse[p] {
		if m.overlap(u, w) {
			return fmt.Sprintf("l'animateur imposé %s anime déjà l'atelier %s %s",
				name, m.inst.Workshops[u].ID, frenchWhen(m.inst.Workshops[u].Start))
		}
	}
	return fmt.Sprintf("l'animateur imposé %s anime déjà %d ateliers le %s (maximum %d par jour)",
		name, s.dayLoad[int(p)*m.nDays+int(m.day[w])], FrenchDate(m.inst.Workshops[w].Start), m.mpd)
}
