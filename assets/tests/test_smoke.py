def test_create_and_list(api, png_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api.post(
        "/api/v1/assets/",
        {"source_module": "image_studio", "title": "Red", "file": SimpleUploadedFile("x.png", png_bytes),
         "tags": '["a","b"]'},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["width"] == 64 and body["mime_type"] == "image/png"
    listing = api.get("/api/v1/assets/").json()
    assert listing["count"] == 1
    assert listing["results"][0]["tags"] == ["a", "b"]
    file_response = api.get(body["file_url"])
    assert file_response.status_code == 200
    assert b"".join(file_response.streaming_content) == png_bytes
