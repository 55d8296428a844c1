/*
 * cards-png: one PNG testimonial card per item, for brochures and social.
 *
 * Job keys (see `config` below): dir (the folder, required), scope (print),
 * preset (square 1080x1080, story 1080x1920, og 1200x630, and at `dpi`:
 * a6, a5 portrait, postcard 6x4 in), width/height (instead of a preset),
 * dpi (300, written into pHYs), theme (cards_theme.c), logo (a PNG), footer,
 * avatar_map (avatar URL -> local file), max_pixels (40 MP: larger avatar
 * files are refused unread), jobs (cards rendered at once; 0: kudos's
 * --jobs, every core by default), fallback_fonts (font files tried after
 * the theme's, before fontconfig).
 *
 * Contract: init() checks every key and loads the theme, fonts and logo,
 * so a mistake fails the run before any card is touched (exit 2, naming
 * the key), and starts one renderer per thread.  consume() copies what
 * the card shows and queues it (cards_item.c); the renderers draw several
 * cards at once and never call the host; consume() and flush() write the
 * finished cards on the callback's thread, in the order they were
 * consumed, naming each item by its id (output_write_item_id).  flush()
 * takes back every card, then logs what was rendered, kept unchanged and
 * left out.
 * Environment: KUDOS_CARDS_DEBUG_BOXES=1 writes beside each card a
 * "<card>.boxes.json" with every glyph's box (cards_debug.c), for tests.
 */
#include "cards.h"

#include <kudos/plugin.h>

#include <inttypes.h>
#include <linebreak.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define C(f) offsetof(struct cards_ctx, f)
static const struct kudos_config_entry config[] = {
	{KUDOS_CONFIG_PATH, "dir", NULL, 1, C(dir), "the folder the cards go in"},
	{KUDOS_CONFIG_STRING, "scope", "print", 0, C(scope),
	 "the rights scope an item's grant must include (print, or social)"},
	{KUDOS_CONFIG_STRING, "preset", "square", 0, C(preset),
	 "square, story, og, a6, a5 or postcard"},
	{KUDOS_CONFIG_INT, "width", "0", 0, C(width), "card width in px (with height, instead of a preset)"},
	{KUDOS_CONFIG_INT, "height", "0", 0, C(height), "card height in px"},
	{KUDOS_CONFIG_INT, "dpi", "300", 0, C(dpi), "dots per inch: print sizes and the PNG's pHYs"},
	{KUDOS_CONFIG_JSON, "theme", NULL, 0, C(theme_json),
	 "colours, fonts, sizes, margins, alignment, corners, avatar on/off"},
	{KUDOS_CONFIG_PATH, "logo", NULL, 0, C(logo), "a brand logo (PNG) for the top corner"},
	{KUDOS_CONFIG_STRING, "footer", NULL, 0, C(footer), "a line at the bottom of every card"},
	{KUDOS_CONFIG_STRING_MAP, "avatar_map", NULL, 0, C(avatar_map),
	 "avatar URL -> local image file (nothing is downloaded)"},
	{KUDOS_CONFIG_INT, "max_pixels", "40000000", 0, C(max_pixels),
	 "larger avatar images are refused before decoding"},
	{KUDOS_CONFIG_INT, "jobs", "0", 0, C(jobs),
	 "cards rendered at once (0: kudos's --jobs, every core by default)"},
	{KUDOS_CONFIG_STRING_LIST, "fallback_fonts", NULL, 0, C(fallback_fonts),
	 "font files for what the theme's fonts lack (default: Noto, then fontconfig)"},
	{0},
};
#undef C

struct preset {
	const char *name;
	double w, h;   /* px, or inches when `inches` */
	int inches;
};

static const struct preset presets[] = {
	{"square", 1080, 1080, 0}, {"story", 1080, 1920, 0}, {"og", 1200, 630, 0},
	{"a6", 105 / 25.4, 148 / 25.4, 1}, {"a5", 148 / 25.4, 210 / 25.4, 1},
	{"postcard", 6, 4, 1}, {NULL, 0, 0, 0}};

static int card_size(const struct kudos_host *host, struct kudos_instance *self,
                     struct cards_ctx *cx)
{
	int custom = host->config_get(self, "width") || host->config_get(self, "height");

	if (cx->dpi < 72 || cx->dpi > 2400) {
		host->set_error(self, "\"dpi\" is %" PRId64 ": use 72 to 2400 (300 is "
		                "usual for print)", cx->dpi);
		return KUDOS_EINVAL;
	}
	if (custom) {
		if (host->config_get(self, "preset")) {
			host->set_error(self, "set either \"preset\" or \"width\" and "
			                "\"height\", not both");
			return KUDOS_EINVAL;
		}
		if (cx->width < 200 || cx->height < 200 || cx->width > 12000 ||
		    cx->height > 12000 || cx->width * cx->height > 60000000) {
			host->set_error(self, "\"width\" and \"height\" (%" PRId64 "x%" PRId64
			                ") must both be set, from 200 to 12000 px, at most "
			                "60 megapixels", cx->width, cx->height);
			return KUDOS_EINVAL;
		}
		cx->base_env.w = (int)cx->width;
		cx->base_env.h = (int)cx->height;
		return KUDOS_OK;
	}
	for (const struct preset *p = presets; p->name; p++)
		if (strcmp(p->name, cx->preset) == 0) {
			double k = p->inches ? (double)cx->dpi : 1.0;
			cx->base_env.w = (int)lround(p->w * k);
			cx->base_env.h = (int)lround(p->h * k);
			if ((int64_t)cx->base_env.w * cx->base_env.h > 60000000) {
				host->set_error(self, "preset %s at %" PRId64 " dpi is over 60 "
				                "megapixels; lower \"dpi\"", p->name, cx->dpi);
				return KUDOS_EINVAL;
			}
			return KUDOS_OK;
		}
	host->set_error(self, "\"preset\" is \"%s\": use square (1080x1080), story "
	                "(1080x1920), og (1200x630), a6, a5 or postcard (at \"dpi\"), "
	                "or set \"width\" and \"height\"", cx->preset);
	return KUDOS_EINVAL;
}

static int load_logo(const struct kudos_host *host, struct kudos_instance *self,
                     struct cards_ctx *cx)
{
	unsigned char *data = NULL;
	size_t len;
	struct image raw = {0};
	char msg[500];
	int h = (int)lround(cx->theme.logo_height * cx->base_env.s), w;

	if (cx->logo == NULL)
		return KUDOS_OK;
	if (read_file(cx->logo, 64u << 20, &data, &len, msg, sizeof msg) < 0 ||
	    image_decode(data, len, cx->max_pixels, 0, &raw, msg, sizeof msg) < 0) {
		free(data);
		host->set_error(self, "\"logo\": %s; give a PNG file (relative to the "
		                "job file)", msg);
		return KUDOS_EINVAL;
	}
	free(data);
	w = (int)lround((double)raw.w * h / raw.h);
	if (w < 1)
		w = 1;
	if (w > cx->base_env.w / 2) { /* a wide logo: at most half the card */
		w = cx->base_env.w / 2;
		h = (int)lround((double)raw.h * w / raw.w);
	}
	if (image_scale(&raw, w, h < 1 ? 1 : h, &cx->logo_im) < 0) {
		image_free(&raw);
		host->set_error(self, "out of memory scaling the logo");
		return KUDOS_ENOMEM;
	}
	image_free(&raw);
	cx->base_env.logo = &cx->logo_im;
	return KUDOS_OK;
}

static void fp_add(uint64_t h[2], const char *s)
{
	static const char sep = 0x1e;
	if (s) {
		h[0] = fnv1a(h[0], s, strlen(s));
		h[1] = fnv1a(h[1], s, strlen(s));
	}
	h[0] = fnv1a(h[0], &sep, 1);
	h[1] = fnv1a(h[1], &sep, 1);
}

/* The fingerprint of what all cards share. */
static void base_fingerprint(const struct kudos_host *host, struct kudos_instance *self,
                             struct cards_ctx *cx)
{
	char buf[200];
	struct stat st;

	cx->base[0] = 0xcbf29ce484222325ULL;
	cx->base[1] = 0x84222325cbf29ce4ULL;
	fp_add(cx->base, CARDS_RENDERER_VERSION);
	snprintf(buf, sizeof buf, "%dx%d@%" PRId64 " %" PRId64, cx->base_env.w, cx->base_env.h,
	         cx->dpi, cx->max_pixels);
	fp_add(cx->base, buf);
	fp_add(cx->base, host->config_get(self, "theme"));
	fp_add(cx->base, cx->footer);
	for (int i = 0; i < cx->env[0]->fonts->n_chain; i++)
		fp_add(cx->base, cx->env[0]->fonts->f[i]->file);
	fp_add(cx->base, cx->logo);
	if (cx->logo && stat(cx->logo, &st) == 0) {
		snprintf(buf, sizeof buf, "%lld %lld.%09ld", (long long)st.st_size,
		         (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
		fp_add(cx->base, buf);
	}
}

static void release(struct cards_ctx *cx);

struct card_env *cards_env_new(const struct cards_ctx *cx, char *msg, size_t msg_size)
{
	struct card_env *e = calloc(1, sizeof *e);
	struct fonts *fs = calloc(1, sizeof *fs);

	if (e == NULL || fs == NULL) {
		free(e);
		free(fs);
		snprintf(msg, msg_size, "out of memory starting a renderer");
		return NULL;
	}
	*e = cx->base_env;
	e->fonts = fs;
	if (fonts_open(e->fonts, &cx->theme, cx->fallback_fonts, msg, msg_size) < 0) {
		cards_env_free(e);
		return NULL;
	}
	e->fonts->fc_lock = cx->fc_lock;
	if ((e->enc = png_enc_new()) == NULL) {
		snprintf(msg, msg_size, "out of memory starting a renderer");
		cards_env_free(e);
		return NULL;
	}
	return e;
}

void cards_env_free(struct card_env *e)
{
	if (e == NULL)
		return;
	fonts_close(e->fonts);
	free(e->fonts);
	png_enc_free(e->enc);
	free(e->canvas_px);
	free(e->touched);
	free(e->stale);
	free(e->span);
	free(e);
}

/* Renderers and threads: `jobs` cards at once. */
static int start_renderers(const struct kudos_host *host, struct kudos_instance *self,
                           struct cards_ctx *cx)
{
	int jobs = cx->jobs > 0                   ? (int)cx->jobs
	           : KUDOS_HOST_HAS(host, jobs) ? host->jobs(self)
	                                          : 1;
	char msg[1200];

	if ((cx->fc_lock = malloc(sizeof(pthread_mutex_t))) == NULL ||
	    pthread_mutex_init(cx->fc_lock, NULL) != 0) {
		free(cx->fc_lock);
		cx->fc_lock = NULL;
		host->set_error(self, "out of memory starting the renderers");
		return KUDOS_ENOMEM;
	}
	text_language_prepare(NULL);
	/* Even one job renders on a thread of its own: the callback's thread
	 * meanwhile reads the next items and writes finished cards, whose
	 * fsync is time spent waiting, not computing (measured: a fifth of
	 * the wall time of a card rendered inline). */
	cx->n_env = jobs;
	cx->env = calloc((size_t)cx->n_env, sizeof *cx->env);
	if (cx->env == NULL) {
		host->set_error(self, "out of memory starting the renderers");
		return KUDOS_ENOMEM;
	}
	for (int i = 0; i < cx->n_env; i++)
		if ((cx->env[i] = cards_env_new(cx, msg, sizeof msg)) == NULL) {
			host->set_error(self, "%s", msg);
			return strstr(msg, "out of memory") ? KUDOS_ENOMEM : KUDOS_EINVAL;
		}
	cx->pool = pool_new(jobs, CARDS_IN_FLIGHT(cx->n_env), cards_render_job,
	                    (void *const *)cx->env);
	if (cx->pool == NULL) {
		host->set_error(self, "out of memory starting the renderers");
		return KUDOS_ENOMEM;
	}
	return KUDOS_OK;
}

/* Logo, renderers, threads: what init() takes after the theme. */
static int init_rest(const struct kudos_host *host, struct kudos_instance *self,
                     struct cards_ctx *cx)
{
	int rc;

	if ((rc = load_logo(host, self, cx)) != KUDOS_OK ||
	    (rc = start_renderers(host, self, cx)) != KUDOS_OK)
		return rc;
	base_fingerprint(host, self, cx);
	return KUDOS_OK;
}

static int cards_init(const struct kudos_host *host, struct kudos_instance *self,
                      void *vctx)
{
	struct cards_ctx *cx = vctx;
	const char *dbg = getenv("KUDOS_CARDS_DEBUG_BOXES");
	char msg[1200];
	int rc;

	/* Cards are written after consume() returns, by item id. */
	if (!KUDOS_HOST_HAS(host, output_write_item_id) ||
	    !KUDOS_HOST_HAS(host, output_leave_out)) {
		host->set_error(self, "this kudos lacks the services cards-png %s needs "
		                "(output_write_item_id, output_leave_out); upgrade kudos",
		                CARDS_RENDERER_VERSION);
		return KUDOS_EINVAL;
	}
	if (strcmp(cx->scope, "print") && strcmp(cx->scope, "social") &&
	    strcmp(cx->scope, "web") && strcmp(cx->scope, "ads")) {
		host->set_error(self, "\"scope\" is \"%s\": use print or social", cx->scope);
		return KUDOS_EINVAL;
	}
	if ((rc = card_size(host, self, cx)) != KUDOS_OK)
		return rc;
	if (cx->max_pixels < 10000) {
		host->set_error(self, "\"max_pixels\" is %" PRId64 ": use at least 10000 "
		                "(default 40000000)", cx->max_pixels);
		return KUDOS_EINVAL;
	}
	if (cx->jobs < 0 || cx->jobs > 256) {
		host->set_error(self, "\"jobs\" is %" PRId64 ": use 0 (every core) to 256",
		                cx->jobs);
		return KUDOS_EINVAL;
	}
	for (const char *const *m = cx->avatar_map; m && m[0]; m += 2)
		if (!m[1][0]) {
			host->set_error(self, "\"avatar_map\": \"%s\" maps to an empty path; "
			                "give an image file", m[0]);
			return KUDOS_EINVAL;
		}
	srgb_init();
	init_linebreak();
	/* Theme lengths are px of a 1080 square: scale by the short side, so
	 * that a taller or larger card holds more words, not bigger ones. */
	cx->base_env.s = (cx->base_env.w < cx->base_env.h ? cx->base_env.w : cx->base_env.h) / 1080.0;
	cx->base_env.dpi = (int)cx->dpi;
	cx->base_env.footer = cx->footer;
	cx->debug = dbg && strcmp(dbg, "1") == 0;
	if (theme_parse(&cx->theme, cx->theme_json, host->job_dir(self), msg, sizeof msg) < 0) {
		host->set_error(self, "%s", msg);
		return KUDOS_EINVAL;
	}
	cx->base_env.theme = &cx->theme;
	cx->ready = 1; /* release() undoes what follows */
	if ((rc = init_rest(host, self, cx)) != KUDOS_OK)
		release(cx); /* exit() is not called when init() fails */
	return rc;
}

static void release(struct cards_ctx *cx)
{
	struct card_job *j;

	if (!cx->ready)
		return;
	/* A run that failed or was stopped may leave cards in flight. */
	while (cx->pool && (j = pool_take(cx->pool)) != NULL)
		card_job_free(j);
	pool_free(cx->pool);
	cx->pool = NULL;
	for (int i = 0; cx->env && i < cx->n_env; i++)
		cards_env_free(cx->env[i]);
	free(cx->env);
	cx->env = NULL;
	if (cx->fc_lock) {
		pthread_mutex_destroy(cx->fc_lock);
		free(cx->fc_lock);
		cx->fc_lock = NULL;
	}
	cards_avatars_free(cx);
	image_free(&cx->logo_im);
	theme_free(&cx->theme);
	memset(&cx->base_env, 0, sizeof cx->base_env);
	cx->ready = 0;
}

static int cards_consume(const struct kudos_host *host, struct kudos_instance *self,
                         void *vctx, const struct kudos_item *item)
{
	return cards_consume_item(host, self, vctx, item);
}

static int cards_flush(const struct kudos_host *host, struct kudos_instance *self,
                       void *vctx)
{
	struct cards_ctx *cx = vctx;
	int rc = cards_finish(host, self, cx);

	if (rc != KUDOS_OK)
		return rc;
	if (cx->rendered == 0 && cx->kept > 0 && cx->not_fitted == 0)
		host->log(self, KUDOS_LOG_INFO, "nothing changed: rendered no card, "
		          "kept all %ld as they were", cx->kept);
	else
		host->log(self, KUDOS_LOG_INFO, "rendered %ld card%s (%.1f ms each on %d "
		          "thread%s, %zu bytes in all; %ld with the curator's excerpt), kept "
		          "%ld unchanged, %ld not made (quote too long)", cx->rendered,
		          cx->rendered == 1 ? "" : "s",
		          cx->rendered ? cx->render_ms / cx->rendered : 0.0, cx->n_env,
		          cx->n_env == 1 ? "" : "s", cx->bytes, cx->by_excerpt, cx->kept,
		          cx->not_fitted);
	if (cx->unmapped)
		host->log(self, KUDOS_LOG_WARN, "%ld card%s initials because the "
		          "avatar URL is not in \"avatar_map\" (nothing is downloaded: map "
		          "each URL to a local file)", cx->unmapped,
		          cx->unmapped == 1 ? " shows" : "s show");
	if (cx->tofu)
		host->log(self, KUDOS_LOG_WARN, "%ld card%s characters no font "
		          "could draw; install fonts-noto-core (and fonts-noto-cjk for "
		          "Chinese, Japanese, Korean) or list fonts in \"fallback_fonts\"",
		          cx->tofu, cx->tofu == 1 ? " has" : "s have");
	return KUDOS_OK;
}

static void cards_exit(const struct kudos_host *host, struct kudos_instance *self,
                       void *vctx)
{
	(void)host;
	(void)self;
	release(vctx);
}

static const struct kudos_plugin cards_plugin = {
	.struct_size = sizeof(struct kudos_plugin),
	.abi_version = KUDOS_ABI_VERSION,
	.kind = KUDOS_PLUGIN_OUTPUT,
	.name = "cards-png",
	.version = "1.1.0",
	.description = "testimonial cards as PNG (HarfBuzz text, avatars, themes, print DPI)",
	.config = config,
	.context_size = sizeof(struct cards_ctx),
	.init = cards_init,
	.consume = cards_consume,
	.flush = cards_flush,
	.exit = cards_exit,
};

KUDOS_PLUGIN_DEFINE(cards_plugin)
