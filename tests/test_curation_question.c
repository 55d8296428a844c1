/* Question-like items: question marks outside links, and interrogative
 * openers in English, German, French, Spanish and Portuguese. */
#include <criterion/criterion.h>
#include <string.h>

#include "curation/question.h"
#include "leakcheck.h"

static int q(const char *text)
{
	struct kudos_fold f;
	kudos_fold_init(&f);
	int r = kudos_question_like(text, strlen(text), &f);
	kudos_fold_release(&f);
	cr_assert_neq(r, -1);
	return r;
}

#define YES(t) cr_assert_eq(q(t), 1, "should be question-like: %s", t)
#define NO(t) cr_assert_eq(q(t), 0, "should not be question-like: %s", t)

Test(question, question_marks_outside_links)
{
	YES("Does it work with oat milk?");
	YES("Great grinder. But why so loud?!");
	YES("see https://x.example/faq?");
	YES("¿Tienen envío gratis");
	YES("这个多少钱？");
	YES("هل يوجد توصيل؟");
	NO("see https://x.example/?id=3 for details");
	NO("www.example.com/search?q=grinder was where I found it");
	NO("");
	KT_ASSERT_NO_LEAKS();
}

Test(question, english_openers)
{
	YES("How long does shipping take");
	YES("Can you ship to Canada");
	YES("Hi, quick question: can you ship to Canada");
	YES("Love it. Is there a bigger size");
	YES("What is the warranty");
	YES("Anyone know if it fits the Aeropress");
	YES("Why is the lid so hard to open");
	YES("Where can I buy spare burrs\nThanks");
	NO("How amazing is this!");
	NO("Can't wait to try it!");
	NO("Will buy again.");
	NO("Would recommend to anyone.");
	NO("What a difference it makes!");
	NO("When it arrived, the box was crushed.");
	NO("Do yourself a favor and buy it");
	NO("Best purchase ever, so good");
	KT_ASSERT_NO_LEAKS();
}

Test(question, german_openers)
{
	YES("Gibt es das auch in Rot");
	YES("Wann kommt die neue Version");
	YES("Kann man das Teil auch spülen");
	YES("Wie lange hält der Akku");
	YES("Weiß jemand, ob es passt");
	NO("Kann ich nur empfehlen!");
	NO("Kann man wirklich jedem empfehlen.");
	NO("Wie toll ist das denn!");
	NO("Hat super funktioniert, danke");
	KT_ASSERT_NO_LEAKS();
}

Test(question, french_openers)
{
	YES("Est-ce que vous livrez en Belgique");
	YES("Pouvez-vous m'aider");
	YES("Combien de temps pour la livraison");
	YES("Où est le numéro de série");
	YES("Y a-t-il une garantie");
	YES("Pourquoi le couvercle grince");
	NO("Quelle qualité !");
	NO("Y a pas de souci, super produit");
	NO("Quand je l'ai reçu, tout était parfait.");
	KT_ASSERT_NO_LEAKS();
}

Test(question, spanish_and_portuguese_openers)
{
	YES("Por qué tarda tanto");
	YES("Cuánto cuesta el envío");
	YES("Alguien sabe si sirve para café molido");
	YES("Alguém sabe se funciona");
	YES("Vocês têm em azul");
	YES("Onde compro o filtro");
	YES("Como faço para limpar");
	NO("Como siempre, excelente.");
	NO("Porque es el mejor, lo recomiendo");
	NO("Quando chegou estava tudo certo.");
	KT_ASSERT_NO_LEAKS();
}

Test(question, folded_text_is_reused)
{
	const char *t = "super. wie viel kostet das";
	struct kudos_fold f;
	kudos_fold_init(&f);
	cr_assert_eq(kudos_fold(&f, t, strlen(t)), 0);
	cr_assert_eq(kudos_question_like_folded(t, strlen(t), &f), 1);
	kudos_fold_release(&f);
	KT_ASSERT_NO_LEAKS();
}
