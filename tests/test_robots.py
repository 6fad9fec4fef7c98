"""robots.txt under a sub-path: it said Disallow: /admin/ (the host's own /admin/, not the web editor
at /kepu/admin/), and search engines read it only at the host's root."""

from __future__ import annotations

from kepu.formats.urls import robots_txt


def test_robots_txt_under_a_sub_path_names_the_sub_path_and_where_it_is_read() -> None:
    text = robots_txt("https://kx.example.gov.cn/kepu", "admin")
    assert "Disallow: /kepu/admin/\n" in text and "Disallow: /admin/" not in text
    assert "Sitemap: https://kx.example.gov.cn/kepu/sitemap.xml\n" in text
    assert "并入 kx.example.gov.cn 根目录下的 robots.txt" in text  # where its lines are to be merged


def test_robots_txt_at_the_root_is_as_before() -> None:
    assert robots_txt("https://kepu.example.cn", "admin") == (
        "User-agent: *\nAllow: /\nDisallow: /admin/\nSitemap: https://kepu.example.cn/sitemap.xml\n")
