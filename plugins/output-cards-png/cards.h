/*
 * cards-png internals: the types and functions the plugin's files share.
 *
 * Contract: nothing here touches the host except cards_plugin.c and
 * cards_item.c, which run on the callback's thread.  Everything else is
 * plain C over these types.  Cards are rendered by the workers of
 * cards_pool.c, several at once: each worker has its own renderer (a
 * struct card_env with its own fonts, FreeType and HarfBuzz objects,
 * glyph cache, canvas and encoder, since FreeType faces must not be shared
 * across threads) and reads only what is shared read-only: the theme, the
 * logo, the avatars the callback's thread decoded, the sRGB tables.
 *
 * Lengths in the theme are pixels of a 1080x1080 card; a card of another
 * size scales them by its short side / 1080 (a story card has the square's
 * sizes and more room; an A5 at 300 dpi is 1.62 times larger).
 */
#ifndef CARDS_H
#define CARDS_H

#include <stddef.h>
#include <stdint.h>

/* Part of every card's fingerprint: a new version draws every card again.
 * 1.1: Thai, Lao, Khmer and Burmese lines break between words; the
 * excerpt. */
#define CARDS_RENDERER_VERSION "cards-png/1.1.0"
#define CARDS_MAX_FONTS 24

/* ---- colours and images ------------------------------------------------ */

struct rgb {
	unsigned char r, g, b;
};

/* An 8-bit image: 1 channel (coverage), 3 (RGB) or 4 (RGBA, straight
 * alpha, sRGB).  `px` is owned by the image. */
struct image {
	int w, h, ch;
	unsigned char *px;
};

void image_free(struct image *im);
int image_alloc(struct image *im, int w, int h, int ch);

/* sRGB <-> linear light, for blending (cards_raster.c). */
void srgb_init(void);
extern uint16_t srgb_to_lin[256];       /* 0..65535 */
unsigned char lin_to_srgb(uint32_t lin); /* lin 0..65535 */

/* ---- theme ---------------------------------------------------------------- */

/* start/end follow each paragraph's direction; left/right do not */
enum align { ALIGN_START, ALIGN_CENTER, ALIGN_END, ALIGN_LEFT, ALIGN_RIGHT };

struct theme {
	struct rgb background, text, muted, accent, star, star_empty, badge_text;
	char *font, *font_bold;     /* font files, resolved */
	double quote_max, quote_min, line_height, name_size, detail_size;
	double footer_size, margin, corner_radius, avatar_size, logo_height;
	double star_size, mark_size;
	enum align align;
	int avatar, quote_mark, show_source, show_title;
	char *anonymous_label;      /* shown when the credit is anonymous */
};

/* Parse the job's theme JSON (NULL: defaults).  Errors: -1 with `msg`
 * naming the key and what to write. */
int theme_parse(struct theme *t, const char *json, const char *job_dir,
                char *msg, size_t msg_size);
void theme_free(struct theme *t);

/* ---- fonts and glyphs (cards_fonts.c, cards_glyphs.c) ------------------- */

struct font {
	char *file;
	int index;
	unsigned char *data;  /* the file, owned */
	size_t size;
	void *ft_face;        /* FT_Face */
	void *hb_font;        /* hb_font_t at scale = upem */
	int upem;
	int color;            /* a colour bitmap font (CBDT) */
	int strike_ppem;      /* its bitmap size */
	double ascender, descender; /* in em, descender positive below */
	int cur_px;           /* size set on ft_face */
};

struct fonts {
	void *ft_lib;         /* FT_Library */
	struct font *f[CARDS_MAX_FONTS];
	int n;
	int regular, bold;    /* indexes of the theme's faces */
	int mark;             /* the quote mark's face */
	int n_chain;          /* f[0..n_chain) are the configured chain */
	int emoji;            /* index of the colour emoji face, or -1 */
	int use_fontconfig;
	struct fc_memo *memo; /* fontconfig's answers, by question */
	void *fc_lock;        /* pthread_mutex_t shared by the renderers, or NULL */
	size_t n_memo, cap_memo;
	struct glyph_cache *cache;
};

int fonts_open(struct fonts *fs, const struct theme *t,
               const char *const *fallback, char *msg, size_t msg_size);
void fonts_close(struct fonts *fs);
/* The face to draw cluster cp[0..n) with: the role's face `prefer` when it
 * has it, else the face of the cluster before (`prev`, or -1), else the
 * chain's first, else fontconfig's best for ctx[0..nctx) (the cluster and
 * what follows in its script).  The answer depends only on the question,
 * never on the cards rendered before (so every worker draws a card alike). */
int fonts_pick(struct fonts *fs, int prefer, int prev, const uint32_t *cp, size_t n,
               const uint32_t *ctx, size_t nctx, const char *lang);
int font_has(struct font *f, uint32_t cp);

/* A rasterised glyph: coverage (ch 1) or premultiplied BGRA turned into
 * straight RGBA (ch 4); left/top are the bitmap's offset from the pen. */
struct glyph {
	struct image im;
	int left, top;
};
/* The glyph `gid` of font `fi` at `px` pixels per em, horizontal phase
 * 0..3 (quarters of a pixel).  Cached; NULL when out of memory. */
const struct glyph *glyph_get(struct fonts *fs, int fi, unsigned gid, int px,
                              int phase);
/* A five-pointed star mask `px` wide, cached. */
const struct glyph *glyph_star(struct fonts *fs, int px);
void glyph_cache_trim(struct fonts *fs);
void glyph_cache_free(struct fonts *fs);

/* ---- text (cards_shape.c, cards_layout.c) ------------------------------- */

struct pglyph {          /* a glyph placed on the card */
	const struct glyph *g;
	int x, y;            /* the bitmap's top-left, pixels */
	int font;
	unsigned gid;
};

struct text;             /* shaped paragraphs (cards_text.h) */

/* An empty text; `lang` (BCP 47, may be NULL) guides shaping, line
 * breaking and fontconfig.  NULL when out of memory. */
struct text *text_new(const char *lang);
/* Make HarfBuzz know `lang` (and its default language) before renderers
 * shape with it: it adds a language to a list of its own on first use, and
 * renderers should only ever read that list.  Call on the callback's
 * thread, before the card is queued. */
void text_language_prepare(const char *lang);
/* Append `utf8`'s paragraphs, shaped with the face `role` (fs->regular or
 * fs->bold) and the fallback chain.  RETURN VALUE 0, or -1 out of memory. */
int text_add(struct text *t, struct fonts *fs, const char *utf8, int role);
void text_free(struct text *t);
int text_rtl(const struct text *t);      /* first paragraph is RTL */
size_t text_notdef(const struct text *t);/* clusters no font had */
/* The widest paragraph unbroken, px, with the side padding layout keeps. */
double text_width(const struct text *t, double px);

struct box {
	int x0, y0, x1, y1;  /* [x0, x1) x [y0, y1) */
};

struct laid {
	struct pglyph *g;
	size_t n, cap;
	double px;           /* the font size used */
	int lines;
	double height;       /* of the line boxes, px */
	double baseline;     /* the first line's, px */
	struct box ink;      /* union of the glyph bitmaps */
	int emergency;       /* a word had to be broken inside */
};

/* Lay `t` out in `box` at `px`.  RETURN VALUE 1 when it fits (every
 * glyph inside the box), 0 when not, -1 out of memory. */
int text_layout(struct fonts *fs, struct text *t, double px, double line_height,
                enum align al, const struct box *box, struct laid *out);
/* Largest whole size in [min, max] at which `t` fits `box`, laid out in
 * *out.  RETURN VALUE 1 fitted, 0 not even at min, -1 out of memory. */
int text_fit(struct fonts *fs, struct text *t, double max, double min,
             double line_height, enum align al, const struct box *box,
             struct laid *out);
void laid_shift(struct laid *l, int dx, int dy);
void laid_free(struct laid *l);

/* ---- images (cards_jpeg.c, cards_png_read.c, cards_scale.c) -------------- */

/* Decode a JPEG or PNG file's bytes into RGB or RGBA.  Images over
 * `max_pixels` are refused from their header.  RETURN VALUE 0, or -1 with
 * `msg` saying why (damaged, too large, not an image). */
int image_decode(const unsigned char *data, size_t len, int64_t max_pixels,
                 int min_side, struct image *out, char *msg, size_t msg_size);
int jpeg_decode(const unsigned char *data, size_t len, int64_t max_pixels,
                int min_side, struct image *out, char *msg, size_t msg_size);
int png_decode(const unsigned char *data, size_t len, int64_t max_pixels,
               struct image *out, char *msg, size_t msg_size);
/* EXIF orientation (1..8) from a JPEG APP1 payload, 1 when absent. */
int exif_orientation(const unsigned char *app1, size_t len);
int image_orient(struct image *im, int orientation);

/* Area-filter (box over exact pixel footprints, in linear light) scale. */
int image_scale(const struct image *src, int w, int h, struct image *dst);
/* Centre-crop to a square and scale to d x d RGBA with an anti-aliased
 * circular alpha. */
int image_circle(const struct image *src, int d, struct image *dst);
/* A d x d RGBA disc of `bg`. */
int image_disc(int d, struct rgb bg, struct image *dst);

/* ---- canvas and drawing (cards_raster.c) --------------------------------- */

enum op_kind { OP_MASK, OP_RGBA };

struct op {              /* one thing to draw, read by band workers */
	enum op_kind kind;
	const struct image *im;
	int x, y;
	struct rgb color;    /* OP_MASK */
	int clip_x0, clip_x1;/* columns drawn, for half stars */
};

struct drawlist {
	struct op *v;
	size_t n, cap;
};

int drawlist_add(struct drawlist *d, enum op_kind k, const struct image *im,
                 int x, int y, struct rgb c);
void drawlist_free(struct drawlist *d);

struct canvas {
	int w, h, ch;        /* ch 3, or 4 when the corners are rounded */
	unsigned char *px;
	struct rgb bg;
	double radius;
	/* Per row: 1 if anything is drawn on it (else it is plain background),
	 * and 1 if the buffer's row may hold something else than background
	 * (the buffer is reused between cards); canvas_band() updates it. */
	const unsigned char *touched;
	unsigned char *stale;
	/* Per row, the columns [span[2y], span[2y+1]) anything is drawn in;
	 * the rest of the row is background. */
	const int *span;
};

/* Mark the rows the draw list and the corners touch, and the columns. */
void canvas_touch(const struct canvas *c, const struct drawlist *d, unsigned char *touched,
                  int *span);

/* Draw rows [y0, y1): background, every op, the corners. */
void canvas_band(struct canvas *c, const struct drawlist *d, int y0, int y1);

/* ---- PNG encoding (cards_png_write.c) ------------------------------------ */

struct png_enc;          /* the compressor and buffers of one renderer */
struct png_out {
	unsigned char *data; /* malloc'd */
	size_t len;
};
struct png_enc *png_enc_new(void);
void png_enc_free(struct png_enc *e);
/* Filter and compress `c` into a PNG with pHYs at `dpi`.  RETURN VALUE 0,
 * or -1 with msg. */
int png_encode(struct png_enc *e, const struct canvas *c, int dpi,
               struct png_out *out, char *msg, size_t msg_size);

/* Where the blocks of a raw deflate stream (len bytes) are: the bit offset
 * of the last block's header (its BFINAL bit) and the bit length up to
 * that block's end.  RETURN VALUE 0, or -1 for a stream that is not
 * well-formed deflate. */
int deflate_walk(const unsigned char *data, size_t len, size_t *last_header, size_t *end);

/* ---- worker threads (cards_pool.c) --------------------------------------- */

struct pool;
/* `threads` workers (0: none, jobs run inside pool_submit on workers[0]),
 * worker i running fn(workers[i], job); at most `depth` jobs in flight. */
struct pool *pool_new(int threads, size_t depth, void (*fn)(void *worker, void *job),
                      void *const *workers);
void pool_free(struct pool *p);
int pool_threads(const struct pool *p);
/* Jobs submitted and not taken back yet. */
size_t pool_pending(const struct pool *p);
/* RETURN VALUE 0, or -1 when `depth` jobs are pending (take one first). */
int pool_submit(struct pool *p, void *job);
/* The oldest pending job once it is done (waiting for it), or NULL when
 * none is pending; _ready: NULL as well when it is not done yet. */
void *pool_take(struct pool *p);
void *pool_take_ready(struct pool *p);

/* ---- one card (cards_card.c, cards_debug.c) ------------------------------ */

struct card_in {         /* one item's content, as the gate handed it over */
	const char *id, *text, *title, *name, *role, *source, *lang;
	const char *excerpt;     /* the curator's excerpt, for when text does not fit */
	int has_rating;
	double rating, scale;
	const struct image *avatar; /* RGBA circle, the theme's size; NULL: initials */
};

struct card_env {        /* one renderer: what its cards share */
	int w, h, dpi;
	double s;            /* theme px -> card px */
	const struct theme *theme;   /* shared, read-only */
	struct fonts *fonts;         /* the renderer's own */
	const struct image *logo;    /* scaled RGBA, or NULL; shared, read-only */
	const char *footer;
	struct png_enc *enc;         /* the renderer's own */
	unsigned char *canvas_px; /* reused between cards */
	unsigned char *touched, *stale; /* per row, see struct canvas */
	int *span;                      /* two per row, see struct canvas */
};

struct card_parts {      /* where things went, for the debug sidecar */
	struct laid quote, mark, name, role, meta, badge, footer;
	struct box text_box, avatar_box, logo_box, stars_box;
	size_t notdef;
};

struct card_result {
	struct png_out png;
	int fitted;          /* 0: the quote does not fit at the minimum size */
	int excerpt;         /* the curator's excerpt was drawn, not the text */
	double quote_px;
	int lines, emergency;
	size_t notdef;
	char *boxes_json;    /* when asked for (KUDOS_CARDS_DEBUG_BOXES) */
};

/* Render one card: the whole text when it fits, else in->excerpt when
 * given and it fits.  RETURN VALUE 0 (see out->fitted), or -1 with msg. */
int card_render(struct card_env *env, const struct card_in *in, int debug,
                struct card_result *out, char *msg, size_t msg_size);
void card_result_free(struct card_result *r);
/* The sidecar: every glyph's and element's box, as JSON (malloc'd). */
char *card_boxes_json(const struct card_env *env, const struct card_in *in,
                      const struct card_parts *p, int excerpt);

/* ---- the plugin's state (cards_plugin.c, cards_item.c) ------------------ */

struct kudos_host;
struct kudos_instance;
struct kudos_item;

struct avatar_slot {     /* a decoded avatar, kept for items that share it */
	char *path;
	int64_t size, mtime_ns;
	struct image im;     /* RGBA circle; px NULL when the file is broken */
	char *why;           /* why it is broken */
	int refs;            /* jobs in flight drawing it (callback's thread) */
	unsigned long used;  /* when it was last asked for, to pick a slot to reuse */
};
#define AVATAR_SLOTS 64  /* decoded avatars kept beside those cards in flight use */
/* Cards queued or rendered and not yet written, at most: two per renderer
 * keep every renderer busy while the callback's thread writes. */
#define CARDS_IN_FLIGHT(n_env) (2 * (size_t)(n_env) + 2)

/* One card to render: its content (owned copies), and what the renderer
 * made of it. */
struct card_job {
	struct card_in in;
	char *own[9];        /* the strings `in` points to */
	struct avatar_slot *av;
	char name[200];      /* the card's file name */
	char key[600], fp[300]; /* its cache cursor and fingerprint */
	int debug;
	int rc;              /* card_render()'s */
	struct card_result res;
	char msg[600];
	double ms;           /* the renderer's CPU time for it */
};

struct cards_ctx {
	/* filled by the host from the config table */
	const char *dir, *scope, *preset, *theme_json, *logo, *footer;
	int64_t width, height, dpi, max_pixels, jobs;
	const char *const *avatar_map;
	const char *const *fallback_fonts;

	/* state */
	int ready;
	int debug;           /* KUDOS_CARDS_DEBUG_BOXES */
	struct theme theme;
	struct image logo_im;
	struct card_env base_env; /* size, theme, logo: copied into each renderer */
	struct card_env **env;    /* one renderer per worker */
	int n_env;
	struct pool *pool;
	uint64_t base[2];    /* fingerprint of what every card shares */
	struct avatar_slot *av;
	int n_av;
	unsigned long av_clock;
	void *names;         /* tsearch tree: this run's file names, and their ids */
	void *fc_lock;       /* pthread_mutex_t: fontconfig is asked one at a time */
	long consumed, finished; /* for the progress bar */
	long rendered, kept, not_fitted, by_excerpt, unmapped, broken, tofu;
	double render_ms;
	size_t bytes;
};

/* consume(): one item (cards_item.c). */
int cards_consume_item(const struct kudos_host *host, struct kudos_instance *self,
                       struct cards_ctx *cx, const struct kudos_item *item);
/* flush(): take back every card still being rendered, write them. */
int cards_finish(const struct kudos_host *host, struct kudos_instance *self,
                 struct cards_ctx *cx);
/* The worker's job: render one card (any thread). */
void cards_render_job(void *env, void *job);
void card_job_free(struct card_job *j);
void cards_avatars_free(struct cards_ctx *cx);
/* A renderer of its own for one worker.  RETURN VALUE NULL with msg. */
struct card_env *cards_env_new(const struct cards_ctx *cx, char *msg, size_t msg_size);
void cards_env_free(struct card_env *e);

/* ---- small helpers (cards_util.c) ---------------------------------------- */

/* UTF-8 (valid) to code points; *n set.  NULL when out of memory. */
uint32_t *utf8_decode(const char *s, size_t len, size_t *n);
uint64_t fnv1a(uint64_t h, const void *data, size_t len);
/* The card's file name for an item id: [A-Za-z0-9_-] only, at most ~110
 * bytes, a hash of the whole id appended: never a path. */
void card_file_name(const char *id, int long_hash, char *out, size_t size);
int read_file(const char *path, size_t limit, unsigned char **data, size_t *len,
              char *msg, size_t msg_size);
int parse_color(const char *s, struct rgb *c);
int map_file(const char *path, unsigned char **data, size_t *len, char *msg,
             size_t msg_size);
void unmap_file(unsigned char *data, size_t len);

#endif
