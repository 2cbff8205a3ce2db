package shop.chat;

import course.testkit.MeasuredNumbersInReadme;

/** The README's measured numbers are typed once, in src/test/resources/measured, and quoted from there. */
class MeasuredNumbersTest implements MeasuredNumbersInReadme {
}
