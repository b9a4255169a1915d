#include "geo/geos_ops.hpp"

#include <geos_c.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace gridgov::geo {

namespace {

void on_error(const char* format, void* user) {
    auto* message = static_cast<std::string*>(user);
    *message = format;
}

// A GEOS context and its error message, for one call.
class Geos {
  public:
    Geos() : ctx_(GEOS_init_r()) { GEOSContext_setErrorMessageHandler_r(ctx_, on_error, &error_); }
    ~Geos() { GEOS_finish_r(ctx_); }
    Geos(const Geos&) = delete;
    Geos& operator=(const Geos&) = delete;

    GEOSContextHandle_t ctx() const { return ctx_; }

    struct Deleter {
        GEOSContextHandle_t ctx;
        void operator()(GEOSGeometry* g) const {
            if (g) GEOSGeom_destroy_r(ctx, g);
        }
    };
    using Ptr = std::unique_ptr<GEOSGeometry, Deleter>;

    Ptr own(GEOSGeometry* g) const {
        if (g == nullptr) throw std::runtime_error("GEOS: " + error_);
        return Ptr(g, Deleter{ctx_});
    }

    GEOSGeometry* ring(const Ring& r) const {
        GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx_, static_cast<unsigned>(r.size()), 2);
        for (unsigned i = 0; i < r.size(); ++i)
            GEOSCoordSeq_setXY_r(ctx_, seq, i, r[i].lon, r[i].lat);
        return GEOSGeom_createLinearRing_r(ctx_, seq);
    }

    Ptr from(const MultiPolygon& shape) const {
        std::vector<GEOSGeometry*> polygons;
        for (const auto& p : shape) {
            if (p.outer.size() < 4) continue;
            std::vector<GEOSGeometry*> holes;
            for (const auto& h : p.holes) {
                if (h.size() >= 4) holes.push_back(ring(h));
            }
            polygons.push_back(GEOSGeom_createPolygon_r(ctx_, ring(p.outer), holes.data(),
                                                        static_cast<unsigned>(holes.size())));
        }
        return own(GEOSGeom_createCollection_r(ctx_, GEOS_MULTIPOLYGON, polygons.data(),
                                               static_cast<unsigned>(polygons.size())));
    }

    Ring to_ring(const GEOSGeometry* g) const {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx_, g);
        unsigned n = 0;
        GEOSCoordSeq_getSize_r(ctx_, seq, &n);
        Ring r(n);
        for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_getXY_r(ctx_, seq, i, &r[i].lon, &r[i].lat);
        return r;
    }

    // Collects the polygons of any geometry (polygon, multipolygon, collection), dropping lines
    // and points that an operation may leave behind.
    void collect(const GEOSGeometry* g, MultiPolygon& out) const {
        const int type = GEOSGeomTypeId_r(ctx_, g);
        if (type == GEOS_POLYGON) {
            if (GEOSisEmpty_r(ctx_, g)) return;
            Polygon p;
            p.outer = to_ring(GEOSGetExteriorRing_r(ctx_, g));
            const int holes = GEOSGetNumInteriorRings_r(ctx_, g);
            for (int i = 0; i < holes; ++i)
                p.holes.push_back(to_ring(GEOSGetInteriorRingN_r(ctx_, g, i)));
            out.push_back(std::move(p));
        } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
            const int n = GEOSGetNumGeometries_r(ctx_, g);
            for (int i = 0; i < n; ++i) collect(GEOSGetGeometryN_r(ctx_, g, i), out);
        }
    }

    MultiPolygon to_shape(const GEOSGeometry* g) const {
        MultiPolygon out;
        collect(g, out);
        return out;
    }

  private:
    GEOSContextHandle_t ctx_;
    std::string error_;
};

}  // namespace

MultiPolygon make_valid(const MultiPolygon& shape) {
    Geos geos;
    const auto g = geos.from(shape);
    const auto valid = geos.own(GEOSMakeValid_r(geos.ctx(), g.get()));
    return geos.to_shape(valid.get());
}

MultiPolygon union_all(const std::vector<MultiPolygon>& shapes) {
    Geos geos;
    MultiPolygon all;
    for (const auto& s : shapes) all.insert(all.end(), s.begin(), s.end());
    const auto g = geos.from(all);
    const auto u = geos.own(GEOSUnaryUnion_r(geos.ctx(), g.get()));
    return geos.to_shape(u.get());
}

MultiPolygon intersection(const MultiPolygon& a, const MultiPolygon& b) {
    Geos geos;
    const auto ga = geos.from(a), gb = geos.from(b);
    const auto i = geos.own(GEOSIntersection_r(geos.ctx(), ga.get(), gb.get()));
    return geos.to_shape(i.get());
}

MultiPolygon difference(const MultiPolygon& a, const MultiPolygon& b) {
    Geos geos;
    const auto ga = geos.from(a), gb = geos.from(b);
    const auto d = geos.own(GEOSDifference_r(geos.ctx(), ga.get(), gb.get()));
    return geos.to_shape(d.get());
}

std::string invalid_reason(const MultiPolygon& shape) {
    Geos geos;
    const auto g = geos.from(shape);
    if (GEOSisValid_r(geos.ctx(), g.get()) == 1) return {};
    char* reason = GEOSisValidReason_r(geos.ctx(), g.get());
    std::string out = reason ? reason : "invalid";
    GEOSFree_r(geos.ctx(), reason);
    return out;
}

double shared_boundary_m(const MultiPolygon& a, const MultiPolygon& b) {
    Geos geos;
    const auto ga = geos.from(a), gb = geos.from(b);
    const auto ba = geos.own(GEOSBoundary_r(geos.ctx(), ga.get()));
    const auto bb = geos.own(GEOSBoundary_r(geos.ctx(), gb.get()));
    const auto shared = geos.own(GEOSIntersection_r(geos.ctx(), ba.get(), bb.get()));
    // sum the lengths of the shared line pieces, each measured on the sphere
    double total = 0;
    auto add_line = [&](const GEOSGeometry* line) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos.ctx(), line);
        unsigned n = 0;
        GEOSCoordSeq_getSize_r(geos.ctx(), seq, &n);
        LonLat prev{};
        for (unsigned i = 0; i < n; ++i) {
            LonLat p;
            GEOSCoordSeq_getXY_r(geos.ctx(), seq, i, &p.lon, &p.lat);
            if (i > 0) total += distance_m(prev, p);
            prev = p;
        }
    };
    const int count = GEOSGetNumGeometries_r(geos.ctx(), shared.get());
    for (int i = 0; i < count; ++i) {
        const GEOSGeometry* part = GEOSGetGeometryN_r(geos.ctx(), shared.get(), i);
        const int type = GEOSGeomTypeId_r(geos.ctx(), part);
        if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) add_line(part);
        if (type == GEOS_MULTILINESTRING) {
            for (int j = 0; j < GEOSGetNumGeometries_r(geos.ctx(), part); ++j)
                add_line(GEOSGetGeometryN_r(geos.ctx(), part, j));
        }
    }
    return total;
}

LonLat interior_point(const MultiPolygon& shape) {
    Geos geos;
    const auto g = geos.from(shape);
    const auto p = geos.own(GEOSPointOnSurface_r(geos.ctx(), g.get()));
    LonLat out;
    GEOSGeomGetX_r(geos.ctx(), p.get(), &out.lon);
    GEOSGeomGetY_r(geos.ctx(), p.get(), &out.lat);
    return out;
}

std::vector<MultiPolygon> partition(const MultiPolygon& area, const std::vector<LonLat>& seeds) {
    Geos geos;
    const auto region = geos.from(area);
    std::vector<GEOSGeometry*> points;
    for (const auto& s : seeds)
        points.push_back(GEOSGeom_createPointFromXY_r(geos.ctx(), s.lon, s.lat));
    const auto multipoint = geos.own(GEOSGeom_createCollection_r(
        geos.ctx(), GEOS_MULTIPOINT, points.data(), static_cast<unsigned>(points.size())));
    // the diagram's envelope must hold the whole area
    const auto envelope = geos.own(GEOSEnvelope_r(geos.ctx(), region.get()));
    const auto diagram =
        geos.own(GEOSVoronoiDiagram_r(geos.ctx(), multipoint.get(), envelope.get(), 0.0, 0));
    std::vector<MultiPolygon> cells(seeds.size());
    const int n = GEOSGetNumGeometries_r(geos.ctx(), diagram.get());
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* cell = GEOSGetGeometryN_r(geos.ctx(), diagram.get(), i);
        // the diagram does not keep the seeds' order: find the seed inside each cell
        const MultiPolygon shape = geos.to_shape(cell);
        for (std::size_t s = 0; s < seeds.size(); ++s) {
            if (cells[s].empty() && contains(shape, seeds[s])) {
                const auto clipped = geos.own(GEOSIntersection_r(geos.ctx(), cell, region.get()));
                cells[s] = geos.to_shape(clipped.get());
                break;
            }
        }
    }
    return cells;
}

}  // namespace gridgov::geo
